package dev.uvgl.data.image;

/**
 * An 8-bit RGB image held as interleaved floats (row-major, HWC). Every operation that mimics PIL
 * leaves whole numbers 0..255 here, as PIL's uint8 images would hold.
 */
public record RgbImage(int width, int height, float[] data) {
    public RgbImage {
        if (data.length != width * height * 3)
            throw new IllegalArgumentException(width + "x" + height + " RGB needs " + width * height * 3
                    + " values, got " + data.length);
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new float[width * height * 3]);
    }

    public float get(int x, int y, int c) { return data[(y * width + x) * 3 + c]; }
}
