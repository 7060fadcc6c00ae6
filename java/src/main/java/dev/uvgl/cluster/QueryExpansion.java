package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;

import java.util.Arrays;

/** V[i] = the mean of the V rows of the first k2 entries of L(i), self included (dmnil.md section 6). */
final class QueryExpansion {
    private static final int GRAIN = 2048;

    private QueryExpansion() {}

    static SparseRows apply(SparseRows v, NeighbourLists lists, int k2) {
        if (k2 == 1) return v;  // the reference skips query expansion when k2 = 1
        int n = v.n();
        SparseRows.Builder[] parts = new SparseRows.Builder[Parallel.chunkCount(n, GRAIN)];
        Parallel.chunks(n, GRAIN, (chunk, lo, hi) -> {
            SparseRows.Builder out = parts[chunk] = new SparseRows.Builder();
            double[] acc = new double[n];
            boolean[] seen = new boolean[n];
            int[] touched = new int[256];
            for (int i = lo; i < hi; i++) {
                int m = 0;
                for (int t = 0; t < k2; t++) {
                    int row = lists.at(i, t);
                    for (int p = v.rowStart(row); p < v.rowEnd(row); p++) {
                        int c = v.col(p);
                        if (!seen[c]) {
                            seen[c] = true;
                            if (m == touched.length) touched = Arrays.copyOf(touched, 2 * m);
                            touched[m++] = c;
                        }
                        acc[c] += v.val(p);
                    }
                }
                Arrays.sort(touched, 0, m);
                for (int t = 0; t < m; t++) {
                    int c = touched[t];
                    out.add(c, (float) (acc[c] / k2));
                    acc[c] = 0;
                    seen[c] = false;
                }
                out.endRow();
            }
        });
        return SparseRows.concat(parts);
    }
}
