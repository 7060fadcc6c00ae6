package dev.uvgl.data.image;

/** ToTensor + Normalize with ImageNet's statistics, written as NHWC floats into a batch buffer. */
public final class Normalize {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    private Normalize() {}

    /** Writes img (0..255) as (v/255 - mean)/std at out[offset ..]; the image must already have the batch's size. */
    public static void into(RgbImage img, float[] out, int offset) {
        float[] d = img.data();
        for (int i = 0; i < d.length; i += 3)
            for (int c = 0; c < 3; c++) out[offset + i + c] = (d[i + c] / 255f - MEAN[c]) / STD[c];
    }
}
