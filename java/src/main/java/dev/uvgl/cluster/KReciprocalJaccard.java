package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;

import java.util.Arrays;

/**
 * The k-reciprocal Jaccard distance of Zhong et al. (CVPR 2017) exactly as dmnil.md section 6
 * specifies it, in sparse form: reciprocal sets from the k1-lists, expansion by half-size sets,
 * V rows = softmax of -(2 - 2 x_i.x_j) over the expanded set, query expansion over the first k2
 * entries of each list, and Jaccard through an inverted index over V's non-zero columns. Only pairs
 * that share a non-zero column are stored (the rest are exactly 1). V's dot products are summed in
 * double in one fixed order, so bit-identical rows get identical values.
 */
public final class KReciprocalJaccard {
    private final int k1, k2;

    public KReciprocalJaccard(int k1, int k2) {
        if (k1 < 1 || k2 < 1 || k2 > k1) throw new IllegalArgumentException("k-reciprocal: need 1 <= k2 <= k1, got k1=" + k1 + " k2=" + k2);
        this.k1 = k1;
        this.k2 = k2;
    }

    /** lists: each row's k1 nearest (Neighbours with k = k1); x: the unit rows they came from. */
    public SparseDistance compute(Neighbours lists, float[] x, int d) {
        if (lists.k() != k1) throw new IllegalArgumentException("k-reciprocal: lists hold " + lists.k() + " neighbours, k1 is " + k1);
        int n = lists.n(), half = (int) Math.rint(k1 / 2.0); // rint: round half to even, as numpy's around
        int[][] vCols = new int[n][];
        double[][] vVals = new double[n][];
        Parallel.range(n, 64, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int[] r = reciprocal(lists, i, k1);
                int[] expanded = r.clone();
                for (int c : r) {
                    int[] rc = reciprocal(lists, c, half);
                    if (intersectionSize(rc, r) > 2.0 / 3.0 * rc.length) expanded = concat(expanded, rc);
                }
                expanded = Arrays.stream(expanded).distinct().sorted().toArray();
                double[] w = new double[expanded.length];
                double sum = 0;
                for (int t = 0; t < w.length; t++) { w[t] = Math.exp(-(2.0 - 2.0 * dot(x, i, expanded[t], d))); sum += w[t]; }
                for (int t = 0; t < w.length; t++) w[t] /= sum;
                vCols[i] = expanded;
                vVals[i] = w;
            }
        });
        int[][] qCols = new int[n][];
        double[][] qVals = new double[n][];
        Parallel.range(n, 64, (lo, hi) -> {
            double[] acc = new double[n];
            boolean[] touched = new boolean[n];
            int[] list = new int[n];
            for (int i = lo; i < hi; i++) {
                if (k2 == 1) { qCols[i] = vCols[i]; qVals[i] = vVals[i]; continue; }
                int count = 0;
                for (int t = 0; t < k2; t++) {
                    int j = lists.at(i, t);
                    for (int p = 0; p < vCols[j].length; p++) {
                        int c = vCols[j][p];
                        if (!touched[c]) { touched[c] = true; list[count++] = c; }
                        acc[c] += vVals[j][p];
                    }
                }
                Arrays.sort(list, 0, count);
                qCols[i] = Arrays.copyOf(list, count);
                qVals[i] = new double[count];
                for (int p = 0; p < count; p++) { int c = list[p]; qVals[i][p] = acc[c] / k2; acc[c] = 0; touched[c] = false; }
            }
        });
        return jaccard(n, qCols, qVals);
    }

    /** R(i, k): the first min(k+1, k1) entries of L(i) that have i among the first min(k+1, k1) of their own. */
    private int[] reciprocal(Neighbours lists, int i, int k) {
        int m = Math.min(k + 1, k1);
        int[] out = new int[m];
        int c = 0;
        for (int t = 0; t < m; t++) {
            int j = lists.at(i, t);
            for (int s = 0; s < m; s++) if (lists.at(j, s) == i) { out[c++] = j; break; }
        }
        return Arrays.copyOf(out, c);
    }

    private static int intersectionSize(int[] a, int[] b) {
        int n = 0;
        for (int x : Arrays.stream(a).distinct().toArray()) for (int y : b) if (x == y) { n++; break; }
        return n;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double dot(float[] x, int i, int j, int d) {
        // Always the lower index first, so d(i,j) and d(j,i) are the same sum.
        int a = Math.min(i, j) * d, b = Math.max(i, j) * d;
        double s = 0;
        for (int t = 0; t < d; t++) s += (double) x[a + t] * x[b + t];
        return s;
    }

    /** d(i,j) = 1 - m/(2 - m), m = sum_k min(V[i,k], V[j,k]), over the pairs sharing a column. */
    private static SparseDistance jaccard(int n, int[][] cols, double[][] vals) {
        int[] colCount = new int[n];
        for (int[] c : cols) for (int k : c) colCount[k]++;
        int[][] invRows = new int[n][];
        double[][] invVals = new double[n][];
        for (int k = 0; k < n; k++) { invRows[k] = new int[colCount[k]]; invVals[k] = new double[colCount[k]]; }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < cols[i].length; p++) { int k = cols[i][p]; invRows[k][fill[k]] = i; invVals[k][fill[k]++] = vals[i][p]; }
        int[][] outCols = new int[n][];
        float[][] outVals = new float[n][];
        Parallel.range(n, 64, (lo, hi) -> {
            double[] m = new double[n];
            boolean[] touched = new boolean[n];
            int[] list = new int[n];
            for (int i = lo; i < hi; i++) {
                int count = 0;
                for (int p = 0; p < cols[i].length; p++) {
                    int k = cols[i][p];
                    double v = vals[i][p];
                    for (int q = 0; q < invRows[k].length; q++) {
                        int j = invRows[k][q];
                        if (!touched[j]) { touched[j] = true; list[count++] = j; }
                        m[j] += Math.min(v, invVals[k][q]);
                    }
                }
                Arrays.sort(list, 0, count);
                outCols[i] = Arrays.copyOf(list, count);
                outVals[i] = new float[count];
                for (int p = 0; p < count; p++) {
                    int j = list[p];
                    outVals[i][p] = (float) Math.max(0.0, 1.0 - m[j] / (2.0 - m[j]));
                    m[j] = 0;
                    touched[j] = false;
                }
            }
        });
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + outCols[i].length;
        int[] c = new int[start[n]];
        float[] v = new float[start[n]];
        for (int i = 0; i < n; i++) { System.arraycopy(outCols[i], 0, c, start[i], outCols[i].length); System.arraycopy(outVals[i], 0, v, start[i], outVals[i].length); }
        return new SparseDistance(n, start, c, v);
    }
}
