package dev.uvgl.harness;

import java.util.SplittableRandom;

/**
 * Random features with known structure for benchmarks: clusters around random directions (sizes
 * drawn around a mean, like University-1652's ~54 drone views per place) plus uniform outliers.
 * Rows are shuffled so cluster members are not contiguous.
 */
public record ClusteredMixture(float[] features, int[] truth, int n, int dim, int clusters) {

    /** @param spread noise norm relative to the centre's: within-cluster cosine is about 1 / (1 + spread^2) */
    public static ClusteredMixture draw(int n, int dim, int meanClusterSize, double outlierFraction, double spread,
            long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int outliers = (int) Math.round(n * outlierFraction);
        int[] truth = new int[n];
        int filled = 0, clusters = 0;
        while (filled < n - outliers) {
            int size = Math.min(n - outliers - filled, meanClusterSize / 2 + rng.nextInt(meanClusterSize + 1));
            for (int t = 0; t < size; t++) truth[filled++] = clusters;
            clusters++;
        }
        for (int i = filled; i < n; i++) truth[i] = -1;
        for (int i = n - 1; i > 0; i--) {  // shuffle the membership, not the drawing order
            int j = rng.nextInt(i + 1), t = truth[i];
            truth[i] = truth[j];
            truth[j] = t;
        }
        float[] centres = new float[clusters * dim];
        for (int c = 0; c < clusters; c++) gaussianUnit(rng, centres, c * dim, dim);
        float[] x = new float[n * dim];
        double noise = spread / Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            int o = i * dim;
            if (truth[i] < 0) {
                gaussianUnit(rng, x, o, dim);
                continue;
            }
            int c = truth[i] * dim;
            for (int k = 0; k < dim; k++) x[o + k] = (float) (centres[c + k] + noise * rng.nextGaussian());
        }
        return new ClusteredMixture(x, truth, n, dim, clusters);
    }

    private static void gaussianUnit(SplittableRandom rng, float[] out, int off, int dim) {
        double sq = 0;
        for (int k = 0; k < dim; k++) {
            double g = rng.nextGaussian();
            out[off + k] = (float) g;
            sq += g * g;
        }
        float inv = (float) (1 / Math.sqrt(sq));
        for (int k = 0; k < dim; k++) out[off + k] *= inv;
    }
}
