package dev.uvgl.data.image;


import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file to the network's input for `features`: decoded, resized to size x size with the
 * evaluation transform of the data pipeline (PIL-exact bilinear, dmnil.md section 1; an image
 * already at the size is not resampled) and normalised with ImageNet's statistics. Output: HWC floats.
 */
public final class ImagePreprocessor {
    private final FeatureTransform transform;

    public ImagePreprocessor(int size) {
        if (size < 32 || size % 32 != 0)
            throw new IllegalArgumentException("image size must be a positive multiple of 32, got " + size);
        this.transform = FeatureTransform.evaluation(size);
    }

    public int size() { return transform.size(); }

    /** [size, size, 3] floats; an IOException for a file that does not decode. */
    public float[] load(Path file) throws IOException {
        float[] out = new float[size() * size() * 3];
        transform.into(ImageDecoder.decode(file), out, 0);
        return out;
    }
}
