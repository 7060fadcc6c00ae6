package dev.uvgl.eval;

import dev.uvgl.data.image.Normalize;

/**
 * Retrieval without a network, to show what a learnt model must beat: a world whose places a colour
 * histogram or a thumbnail already tells apart would let a "trained" model score by shortcut. Both
 * embed the same resized, normalised images the model sees (normalisation undone).
 */
public final class PixelBaselines {
    private PixelBaselines() {}

    /**
     * A joint RGB histogram of bins^3 cells, each pixel counted once,
     * square-rooted (Hellinger) so a dot product compares shapes.
     */
    public static FeatureExtractor.Embedder colourHistogram(int bins) {
        return batch -> {
            float[] d = batch.toFloatArray();
            int n = batch.dim(0), pixels = batch.dim(1) * batch.dim(2);
            float[][] out = new float[n][bins * bins * bins];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < pixels; p++) {
                    int o = (i * pixels + p) * 3, cell = 0;
                    for (int c = 0; c < 3; c++)
                        cell = cell * bins + bin(d[o + c] * Normalize.STD[c] + Normalize.MEAN[c], bins);
                    out[i][cell]++;
                }
                for (int k = 0; k < out[i].length; k++) out[i][k] = (float) Math.sqrt(out[i][k] / pixels);
            }
            return out;
        };
    }

    /** The image averaged down to side x side RGB, minus its mean: a dot product then compares layouts. */
    public static FeatureExtractor.Embedder thumbnail(int side) {
        return batch -> {
            float[] d = batch.toFloatArray();
            int n = batch.dim(0), h = batch.dim(1), w = batch.dim(2);
            float[][] out = new float[n][side * side * 3];
            for (int i = 0; i < n; i++) {
                double[] cell = new double[side * side * 3];
                int[] count = new int[side * side];
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int k = (y * side / h) * side + x * side / w, o = ((i * h + y) * w + x) * 3;
                        count[k]++;
                        for (int c = 0; c < 3; c++) cell[k * 3 + c] += d[o + c];
                    }
                double mean = 0;
                for (int k = 0; k < cell.length; k++) { cell[k] /= count[k / 3]; mean += cell[k] / cell.length; }
                for (int k = 0; k < cell.length; k++) out[i][k] = (float) (cell[k] - mean);
            }
            return out;
        };
    }

    private static int bin(float v, int bins) { return Math.max(0, Math.min(bins - 1, (int) (v * bins))); }
}
