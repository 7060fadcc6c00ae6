package dev.uvgl.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file to the network's input: decoded with javax.imageio, resized to size x size with
 * bilinear interpolation (pixel centres aligned, as torch's interpolate(align_corners=False) without
 * antialiasing), scaled to [0, 1] and normalised with ImageNet's mean and std. Output: HWC floats.
 */
public final class ImagePreprocessor {
    static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    private final int size;

    public ImagePreprocessor(int size) {
        if (size < 32 || size % 32 != 0) throw new IllegalArgumentException("image size must be a positive multiple of 32, got " + size);
        this.size = size;
    }

    public int size() { return size; }

    /** [size, size, 3] floats; an IOException for a file that does not decode. */
    public float[] load(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (RuntimeException e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IOException("cannot decode " + file + ": not an image format javax.imageio reads");
        return normalise(resize(rgb(img), img.getWidth(), img.getHeight(), size));
    }

    /** Interleaved RGB floats in [0, 255]. */
    static float[] rgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[3 * i] = (argb[i] >>> 16) & 0xFF;
            out[3 * i + 1] = (argb[i] >>> 8) & 0xFF;
            out[3 * i + 2] = argb[i] & 0xFF;
        }
        return out;
    }

    /** Bilinear resize of interleaved 3-channel pixels; the identity when the size already matches. */
    static float[] resize(float[] src, int w, int h, int size) {
        if (w == size && h == size) return src;
        float[] out = new float[size * size * 3];
        double sy = (double) h / size, sx = (double) w / size;
        for (int y = 0; y < size; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            double wy = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = src[(y0 * w + x0) * 3 + c] * (1 - wx) + src[(y0 * w + x1) * 3 + c] * wx;
                    double bottom = src[(y1 * w + x0) * 3 + c] * (1 - wx) + src[(y1 * w + x1) * 3 + c] * wx;
                    out[(y * size + x) * 3 + c] = (float) (top * (1 - wy) + bottom * wy);
                }
            }
        }
        return out;
    }

    static float[] normalise(float[] rgb255) {
        float[] out = new float[rgb255.length];
        for (int i = 0; i < out.length; i++) {
            int c = i % 3;
            out[i] = (rgb255[i] / 255f - MEAN[c]) / STD[c];
        }
        return out;
    }
}
