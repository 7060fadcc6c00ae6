package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;
import gnu.trove.list.array.TFloatArrayList;
import gnu.trove.list.array.TIntArrayList;

import java.util.Arrays;

/**
 * d(i, j) = 1 - m / (2 - m), m = sum_k min(V[i,k], V[j,k]), clamped below at 0 (dmnil.md section 6),
 * for the pairs that share a non-zero column, found through an inverted index over the columns.
 * Pairs sharing nothing have d = 1 and are not stored. m is symmetric, so each pair is computed once
 * (j >= i, summing over the shared columns in ascending order) and stored in both rows.
 */
final class JaccardDistance {
    private static final int GRAIN = 1024;

    private JaccardDistance() {}

    /**
     * @param storeAtMost pairs with a larger distance are dropped too (1 keeps every pair that shares a
     *                    column; DBSCAN needs only those within eps)
     */
    static SparseRows compute(SparseRows v, double storeAtMost) {
        int n = v.n();
        float cutoff = (float) storeAtMost;  // compared as DBSCAN compares: in float32
        Inverted inv = Inverted.of(v);
        int chunks = Parallel.chunkCount(n, GRAIN);
        TIntArrayList[] upperCols = new TIntArrayList[chunks], upperLen = new TIntArrayList[chunks];
        TFloatArrayList[] upperVals = new TFloatArrayList[chunks];
        Parallel.chunks(n, GRAIN, (chunk, lo, hi) -> {
            TIntArrayList cols = upperCols[chunk] = new TIntArrayList(), lens = upperLen[chunk] = new TIntArrayList();
            TFloatArrayList vals = upperVals[chunk] = new TFloatArrayList();
            double[] acc = new double[n];
            boolean[] seen = new boolean[n];
            int[] touched = new int[256];
            for (int i = lo; i < hi; i++) {
                int m = 0;
                for (int p = v.rowStart(i); p < v.rowEnd(i); p++) {
                    int k = v.col(p);
                    float vik = v.val(p);
                    for (int q = inv.firstAtLeast(k, i), end = inv.start[k + 1]; q < end; q++) {
                        int j = inv.rows[q];
                        if (!seen[j]) {
                            seen[j] = true;
                            if (m == touched.length) touched = Arrays.copyOf(touched, 2 * m);
                            touched[m++] = j;
                        }
                        acc[j] += Math.min(vik, inv.vals[q]);
                    }
                }
                Arrays.sort(touched, 0, m);
                int kept = 0;
                for (int t = 0; t < m; t++) {
                    int j = touched[t];
                    double s = acc[j];
                    float d = (float) Math.max(0, 1 - s / (2 - s));
                    acc[j] = 0;
                    seen[j] = false;
                    if (d <= cutoff) {
                        cols.add(j);
                        vals.add(d);
                        kept++;
                    }
                }
                lens.add(kept);
            }
        });
        return symmetric(n, upperCols, upperLen, upperVals);
    }

    /** Mirrors the upper triangle. Filling rows in ascending i keeps every row's columns ascending. */
    private static SparseRows symmetric(int n, TIntArrayList[] upperCols, TIntArrayList[] upperLen,
            TFloatArrayList[] upperVals) {
        int[] start = new int[n + 1];
        int i = 0;
        for (int c = 0; c < upperCols.length; c++) {
            for (int r = 0, q = 0; r < upperLen[c].size(); r++, i++) {
                for (int e = upperLen[c].get(r); e > 0; e--, q++) {
                    int j = upperCols[c].get(q);
                    start[i + 1]++;
                    if (j != i) start[j + 1]++;
                }
            }
        }
        for (int r = 0; r < n; r++) start[r + 1] += start[r];
        int[] cursor = Arrays.copyOf(start, n), cols = new int[start[n]];
        float[] vals = new float[start[n]];
        i = 0;
        for (int c = 0; c < upperCols.length; c++) {
            for (int r = 0, q = 0; r < upperLen[c].size(); r++, i++) {
                for (int e = upperLen[c].get(r); e > 0; e--, q++) {
                    int j = upperCols[c].get(q);
                    float d = upperVals[c].get(q);
                    cols[cursor[i]] = j;
                    vals[cursor[i]++] = d;
                    if (j != i) {
                        cols[cursor[j]] = i;
                        vals[cursor[j]++] = d;
                    }
                }
            }
            upperCols[c] = null;  // let each part go once mirrored
            upperVals[c] = null;
        }
        return new SparseRows(start, cols, vals);
    }

    /** The columns of V: for each column, the rows holding a non-zero (ascending) and their values. */
    private record Inverted(int[] start, int[] rows, float[] vals) {
        static Inverted of(SparseRows v) {
            int n = v.n();
            int[] start = new int[n + 1];
            for (int p = 0; p < v.nonZeros(); p++) start[v.col(p) + 1]++;
            for (int c = 0; c < n; c++) start[c + 1] += start[c];
            int[] cursor = Arrays.copyOf(start, n), rows = new int[start[n]];
            float[] vals = new float[start[n]];
            for (int i = 0; i < n; i++) {
                for (int p = v.rowStart(i); p < v.rowEnd(i); p++) {
                    int at = cursor[v.col(p)]++;
                    rows[at] = i;
                    vals[at] = v.val(p);
                }
            }
            return new Inverted(start, rows, vals);
        }

        /** The first position in column k holding a row >= i. */
        int firstAtLeast(int k, int i) {
            int lo = start[k], hi = start[k + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (rows[mid] < i) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }
}
