package dev.uvgl.cluster;

import gnu.trove.list.array.TIntArrayList;

/**
 * DBSCAN on a precomputed sparse distance with scikit-learn's semantics: a point's neighbourhood is
 * every stored pair within eps plus the point itself, min_samples counts the point, noise is -1,
 * clusters are numbered 0..C-1 in the order scikit-learn discovers them (points in index order, a
 * depth-first stack over ascending neighbours), so border points go where scikit-learn puts them.
 */
public final class Dbscan {
    private final double eps;
    private final int minSamples;

    public Dbscan(double eps, int minSamples) {
        if (!(eps > 0) || minSamples < 1) throw new IllegalArgumentException("DBSCAN: eps must be > 0 and min_samples >= 1, got " + eps + ", " + minSamples);
        this.eps = eps;
        this.minSamples = minSamples;
    }

    public int[] labels(SparseDistance dist) {
        int n = dist.n();
        int[][] hood = new int[n][];
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            TIntArrayList h = new TIntArrayList();
            boolean self = false;
            for (int p = dist.rowStart()[i]; p < dist.rowStart()[i + 1]; p++) {
                int j = dist.cols()[p];
                if (dist.values()[p] <= eps) { h.add(j); self |= j == i; }
            }
            if (!self) { h.add(i); h.sort(); }
            hood[i] = h.toArray();
            core[i] = hood[i].length >= minSamples;
        }
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        TIntArrayList stack = new TIntArrayList();
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (labels[start] != -1 || !core[start]) continue;
            int i = start;
            while (true) {
                if (labels[i] == -1) {
                    labels[i] = next;
                    if (core[i]) for (int j : hood[i]) if (labels[j] == -1) stack.add(j);
                }
                if (stack.isEmpty()) break;
                i = stack.removeAt(stack.size() - 1);
            }
            next++;
        }
        return labels;
    }
}
