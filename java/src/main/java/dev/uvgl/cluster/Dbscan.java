package dev.uvgl.cluster;

import java.util.Arrays;

/**
 * DBSCAN on a sparse precomputed distance (absent pairs are at distance 1, beyond any eps < 1),
 * as scikit-learn runs it with metric='precomputed': the neighbourhood of i is every j with
 * d(i, j) <= eps (compared in float32, as the reference compares its float32 distance), i itself
 * only if its own stored distance is within eps; a core point has at least
 * minSamples neighbours; clusters grow depth-first from the unlabelled core points in index order
 * and are numbered 0..C-1 in that order, so the labels equal scikit-learn's exactly; -1 = noise.
 */
public final class Dbscan {
    private Dbscan() {}

    public static int[] labels(SparseRows dist, double eps, int minSamples) {
        if (!(eps > 0 && eps < 1))
            throw new BadInput("eps " + eps + " must lie in (0, 1): absent pairs are at distance 1");
        if (minSamples < 1) throw new BadInput("min-samples " + minSamples + " must be at least 1");
        int n = dist.n();
        float e = (float) eps;
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int p = dist.rowStart(i); p < dist.rowEnd(i); p++) if (dist.val(p) <= e) count++;
            core[i] = count >= minSamples;
        }
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        int[] stack = new int[64];
        int cluster = 0;
        for (int seed = 0; seed < n; seed++) {
            if (labels[seed] != -1 || !core[seed]) continue;
            int top = 0, i = seed;
            while (true) {
                if (labels[i] == -1) {
                    labels[i] = cluster;
                    if (core[i]) {
                        for (int p = dist.rowStart(i); p < dist.rowEnd(i); p++) {
                            int j = dist.col(p);
                            if (dist.val(p) <= e && labels[j] == -1) {
                                if (top == stack.length) stack = Arrays.copyOf(stack, 2 * top);
                                stack[top++] = j;
                            }
                        }
                    }
                }
                if (top == 0) break;
                i = stack[--top];
            }
            cluster++;
        }
        return labels;
    }

    public static int clusterCount(int[] labels) {
        int max = -1;
        for (int l : labels) max = Math.max(max, l);
        return max + 1;
    }

    public static int noiseCount(int[] labels) {
        int c = 0;
        for (int l : labels) if (l == -1) c++;
        return c;
    }
}
