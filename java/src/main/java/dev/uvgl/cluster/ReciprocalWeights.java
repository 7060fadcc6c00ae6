package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;

import java.util.Arrays;

/**
 * The V rows of dmnil.md section 6 before query expansion: for each row i, its k-reciprocal set
 * R(i, k1) expanded by the R(c, round(k1/2)) of its members that mostly lie inside it, weighted by a
 * softmax of -(2 - 2 x_i.x_j) over the expanded set. Rows whose set is empty stay empty.
 */
final class ReciprocalWeights {
    private static final int GRAIN = 2048;

    private ReciprocalWeights() {}

    static SparseRows compute(UnitRows rows, NeighbourLists lists, int k1) {
        int n = rows.n();
        int half = (int) Math.rint(k1 / 2.0);  // round half to even, as numpy's around
        int[][] full = reciprocalSets(lists, k1), halves = reciprocalSets(lists, half);
        SparseRows.Builder[] parts = new SparseRows.Builder[Parallel.chunkCount(n, GRAIN)];
        Parallel.chunks(n, GRAIN, (chunk, lo, hi) -> {
            SparseRows.Builder out = parts[chunk] = new SparseRows.Builder();
            int[] inR = new int[n], inE = new int[n];  // stamp i + 1 marks membership for row i
            int[] e = new int[64];
            double[] w = new double[64];
            for (int i = lo; i < hi; i++) {
                int stamp = i + 1, size = 0;
                int[] r = full[i];
                for (int j : r) {
                    inR[j] = stamp;
                    inE[j] = stamp;
                    if (size == e.length) e = Arrays.copyOf(e, 2 * size);
                    e[size++] = j;
                }
                for (int c : r) {
                    int[] rc = halves[c];
                    int shared = 0;
                    for (int j : rc) if (inR[j] == stamp) shared++;
                    if (shared > 2.0 / 3 * rc.length) {  // the reference's expression, evaluated the same way
                        for (int j : rc) {
                            if (inE[j] == stamp) continue;
                            inE[j] = stamp;
                            if (size == e.length) e = Arrays.copyOf(e, 2 * size);
                            e[size++] = j;
                        }
                    }
                }
                Arrays.sort(e, 0, size);
                if (w.length < size) w = new double[e.length];
                softmaxOfNegativeDistance(rows, i, e, size, w);
                for (int t = 0; t < size; t++) out.add(e[t], (float) w[t]);
                out.endRow();
            }
        });
        return SparseRows.concat(parts);
    }

    /** w_t = softmax_t(-(2 - 2 x_i.x_e[t])), shifted by the maximum as softmax implementations do. */
    private static void softmaxOfNegativeDistance(UnitRows rows, int i, int[] e, int size, double[] w) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int t = 0; t < size; t++) {
            w[t] = -(2 - 2 * rows.dot(i, e[t]));
            max = Math.max(max, w[t]);
        }
        for (int t = 0; t < size; t++) sum += w[t] = Math.exp(w[t] - max);
        for (int t = 0; t < size; t++) w[t] /= sum;
    }

    /**
     * R(i, k) for every row: the first min(k + 1, k1) entries of L(i) that hold i among the first as
     * many entries of their own list, in L(i)'s order.
     */
    static int[][] reciprocalSets(NeighbourLists lists, int k) {
        int n = lists.n(), len = Math.min(k + 1, lists.k());
        int[][] out = new int[n][];
        Parallel.range(n, GRAIN, (lo, hi) -> {
            int[] buf = new int[len];
            for (int i = lo; i < hi; i++) {
                int m = 0;
                for (int t = 0; t < len; t++) {
                    int j = lists.at(i, t);
                    if (lists.headContains(j, len, i)) buf[m++] = j;
                }
                out[i] = Arrays.copyOf(buf, m);
            }
        });
        return out;
    }
}
