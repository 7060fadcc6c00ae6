package dev.uvgl.data.image;

/**
 * torchvision's adjust_brightness / adjust_contrast / adjust_saturation / adjust_hue as they run
 * on PIL images (the reference feeds PIL images to ColorJitter): PIL's ImageEnhance blends with
 * float arithmetic truncated to 8 bits, PIL's integer grey conversion, and hue shifted in PIL's
 * 8-bit HSV with wrap-around. Each returns a new image.
 */
public final class ColorOps {
    private ColorOps() {}

    public static RgbImage brightness(RgbImage img, double factor) {
        return blend(img, new float[img.data().length], factor);
    }

    public static RgbImage contrast(RgbImage img, double factor) {
        float[] d = img.data();
        double sum = 0;
        for (int i = 0; i < d.length; i += 3) sum += grey(d[i], d[i + 1], d[i + 2]);
        int mean = (int) (sum / (d.length / 3) + 0.5);
        float[] degenerate = new float[d.length];
        java.util.Arrays.fill(degenerate, mean);
        return blend(img, degenerate, factor);
    }

    public static RgbImage saturation(RgbImage img, double factor) {
        float[] d = img.data(), degenerate = new float[d.length];
        for (int i = 0; i < d.length; i += 3)
            degenerate[i] = degenerate[i + 1] = degenerate[i + 2] = grey(d[i], d[i + 1], d[i + 2]);
        return blend(img, degenerate, factor);
    }

    /** factor in [-0.5, 0.5]: the hue turn as a fraction of the circle. */
    public static RgbImage hue(RgbImage img, double factor) {
        if (factor < -0.5 || factor > 0.5)
            throw new IllegalArgumentException("hue factor " + factor + " is not in [-0.5, 0.5]");
        int shift = ((int) (factor * 255)) & 255; // np.uint8(hue_factor * 255): truncation, then modulo 256
        float[] d = img.data(), out = new float[d.length];
        for (int i = 0; i < d.length; i += 3) {
            int r = (int) d[i], g = (int) d[i + 1], b = (int) d[i + 2];
            int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
            int h = 0, s = 0;
            if (max != min) {
                float cr = max - min;
                float sf = cr / (float) max;
                float rc = (max - r) / cr, gc = (max - g) / cr, bc = (max - b) / cr;
                float hf = r == max ? bc - gc : (g == max ? 2.0f + rc - bc : 4.0f + gc - rc);
                hf = (float) ((hf / 6.0 + 1.0) % 1.0);
                h = clip8((int) (hf * 255.0));
                s = clip8((int) (sf * 255.0));
            }
            h = (h + shift) & 255;
            hsvToRgb(h, s, max, out, i);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static void hsvToRgb(int h, int s, int v, float[] out, int o) {
        if (s == 0) {
            out[o] = out[o + 1] = out[o + 2] = v;
            return;
        }
        int i = (int) Math.floor(h * 6.0f / 255.0f);
        float f = h * 6.0f / 255.0f - i, fs = s / 255.0f;
        int p = clip8(Math.round(v * (1.0f - fs)));
        int q = clip8(Math.round(v * (1.0f - fs * f)));
        int t = clip8(Math.round(v * (1.0f - fs * (1.0f - f))));
        int r, g, b;
        switch (i % 6) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
    }

    /** PIL's L conversion: ITU-R 601-2 luma in 16-bit fixed point. */
    static int grey(float r, float g, float b) {
        return ((int) r * 19595 + (int) g * 38470 + (int) b * 7471 + 0x8000) >> 16;
    }

    /** PIL's Image.blend(degenerate, img, factor): degenerate + factor * (img - degenerate), truncated and clipped. */
    private static RgbImage blend(RgbImage img, float[] degenerate, double factor) {
        float[] d = img.data(), out = new float[d.length];
        float alpha = (float) factor;
        for (int i = 0; i < d.length; i++) {
            float v = degenerate[i] + alpha * (d[i] - degenerate[i]);
            out[i] = v <= 0 ? 0 : (v >= 255 ? 255 : (int) v);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static int clip8(int v) { return v < 0 ? 0 : Math.min(255, v); }
}
