package dev.uvgl.cluster;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Arrays;

/**
 * Exact kNN on the CPU: distinct rows only (UniqueRows), a block of query rows at a time against
 * all distinct rows through the backend's GEMM, then a bounded selection per row. Memory is
 * O(block x m + n x k), never n x n. The selection works on distinct rows ordered by (distance,
 * lowest copy index), keeps every distinct row tied with the last one kept, and then expands copies
 * and orders them by (distance, index), so ties resolve exactly as a sort of all n rows would.
 */
public final class CpuKNearest implements KNearest {
    private static final int BLOCK = 128;
    private final Backend backend;

    public CpuKNearest(Backend backend) { this.backend = backend; }

    @Override public Neighbours search(float[] x, int n, int d, int k) {
        if (k < 1 || k > n) throw new IllegalArgumentException("kNN: k=" + k + " must be in [1, " + n + "]");
        UniqueRows u = UniqueRows.of(x, n, d);
        int m = u.count();
        Tensor all = backend.fromArray(u.values, Shape.of(m, d));
        int[] index = new int[n * k];
        float[] dist = new float[n * k];
        int blocks = (m + BLOCK - 1) / BLOCK;
        Parallel.range(blocks, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                int r0 = b * BLOCK, rows = Math.min(BLOCK, m - r0);
                Tensor q = backend.fromArray(Arrays.copyOfRange(u.values, r0 * d, (r0 + rows) * d), Shape.of(rows, d));
                float[] dots = backend.matmul(q, false, all, true).toFloatArray();
                for (int r = 0; r < rows; r++) selectRow(u, dots, r * m, m, k, r0 + r, index, dist);
            }
        });
        return new Neighbours(n, k, index, dist);
    }

    /** Fills the lists of every copy of distinct row `uq` (they are the same list). */
    private static void selectRow(UniqueRows u, float[] dots, int off, int m, int k, int uq, int[] index, float[] dist) {
        int[] best = new int[k];
        float[] bestD = new float[k];
        int filled = 0;
        for (int j = 0; j < m; j++) {
            float dj = 2f - 2f * dots[off + j];
            if (filled == k && !before(dj, u.first[j], bestD[k - 1], u.first[best[k - 1]])) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && before(dj, u.first[j], bestD[pos - 1], u.first[best[pos - 1]])) { best[pos] = best[pos - 1]; bestD[pos] = bestD[pos - 1]; pos--; }
            best[pos] = j;
            bestD[pos] = dj;
        }
        // Distinct rows tied with the last kept one may own lower-indexed copies than it: keep them too.
        float last = bestD[filled - 1];
        int extra = 0;
        int[] tied = new int[0];
        for (int j = 0; j < m; j++) {
            if (2f - 2f * dots[off + j] != last) continue;
            boolean kept = false;
            for (int t = 0; t < filled; t++) kept |= best[t] == j;
            if (!kept) { tied = Arrays.copyOf(tied, extra + 1); tied[extra++] = j; }
        }
        int total = 0;
        for (int t = 0; t < filled; t++) total += u.copies[best[t]].length;
        for (int t : tied) total += u.copies[t].length;
        int[] rowOf = new int[total];
        float[] dOf = new float[total];
        int c = 0;
        for (int t = 0; t < filled + extra; t++) {
            int j = t < filled ? best[t] : tied[t - filled];
            float dj = t < filled ? bestD[t] : last;
            for (int row : u.copies[j]) { rowOf[c] = row; dOf[c++] = dj; }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> before(dOf[p], rowOf[p], dOf[q], rowOf[q]) ? -1 : before(dOf[q], rowOf[q], dOf[p], rowOf[p]) ? 1 : 0);
        for (int row : u.copies[uq])
            for (int r = 0; r < k; r++) { index[row * k + r] = rowOf[order[r]]; dist[row * k + r] = dOf[order[r]]; }
    }

    private static boolean before(float d, int idx, float otherD, int otherIdx) { return d < otherD || (d == otherD && idx < otherIdx); }
}
