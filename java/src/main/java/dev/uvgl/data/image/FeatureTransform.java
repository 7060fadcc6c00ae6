package dev.uvgl.data.image;

/**
 * The deterministic transforms for feature extraction (dmnil.md section 1): resize to size x size
 * (bilinear for evaluation, bicubic for clustering; an image already at that size is not
 * resampled) then ImageNet normalisation. No flip here: clustering's flip average is the model side's.
 */
public record FeatureTransform(int size, Resampler.Filter filter) {
    public static FeatureTransform evaluation(int size) {
        return new FeatureTransform(size, Resampler.Filter.BILINEAR);
    }

    public static FeatureTransform clustering(int size) { return new FeatureTransform(size, Resampler.Filter.BICUBIC); }

    public void into(RgbImage img, float[] out, int offset) {
        Normalize.into(Resampler.resize(img, size, size, filter), out, offset);
    }
}
