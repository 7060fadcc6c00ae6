package dev.uvgl.selftest;

import java.util.SplittableRandom;

/** Seeded inputs shaped like DMNIL's memories: unit rows, and batch labels where every label repeats (PK sampling). */
final class MemoryInputs {
    private MemoryInputs() {}

    /** rows x dim, each row L2-normalised, as the cluster and instance memories hold them. */
    static float[] unitRows(SplittableRandom r, int rows, int dim) {
        float[] a = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) { double v = r.nextGaussian(); a[i * dim + j] = (float) v; sq += v * v; }
            double inv = 1 / Math.sqrt(sq);
            for (int j = 0; j < dim; j++) a[i * dim + j] = (float) (a[i * dim + j] * inv);
        }
        return a;
    }

    /**
     * batch labels in [0, classes): with everyRepeats (and batch >= 2) each label that occurs occurs at least
     * twice, in shuffled order, as PK sampling gives; otherwise independent draws.
     */
    static int[] labels(SplittableRandom r, int batch, int classes, boolean everyRepeats) {
        int[] y = new int[batch];
        if (!everyRepeats || batch < 2) {
            for (int i = 0; i < batch; i++) y[i] = r.nextInt(classes);
            return y;
        }
        int groups = Math.max(1, Math.min(classes, batch / 2));
        int[] pick = distinct(r, groups, classes);
        for (int i = 0; i < batch; i++) y[i] = pick[Math.min(i / 2, groups - 1)];
        for (int i = batch - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = y[i]; y[i] = y[j]; y[j] = t; }
        return y;
    }

    /** count distinct values from [0, n), in random order. */
    static int[] distinct(SplittableRandom r, int count, int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int i = 0; i < count; i++) { int j = i + r.nextInt(n - i); int t = all[i]; all[i] = all[j]; all[j] = t; }
        return java.util.Arrays.copyOf(all, count);
    }

    static double dot(float[] a, int ai, float[] b, int bi, int dim) {
        double s = 0;
        for (int k = 0; k < dim; k++) s += (double) a[ai * dim + k] * b[bi * dim + k];
        return s;
    }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }
}
