package dev.uvgl.data.image;

/** Padding, cropping and flipping (torchvision's Pad with fill 0, crop at an offset, hflip). */
public final class Geometry {
    private Geometry() {}

    public static RgbImage pad(RgbImage img, int p) {
        int w = img.width() + 2 * p, h = img.height() + 2 * p;
        float[] out = new float[w * h * 3];
        for (int y = 0; y < img.height(); y++)
            System.arraycopy(img.data(), y * img.width() * 3, out, ((y + p) * w + p) * 3, img.width() * 3);
        return new RgbImage(w, h, out);
    }

    public static RgbImage crop(RgbImage img, int top, int left, int h, int w) {
        if (top < 0 || left < 0 || top + h > img.height() || left + w > img.width())
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + left + "," + top + ") leaves the "
                    + img.width() + "x" + img.height() + " image");
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++)
            System.arraycopy(img.data(), ((top + y) * img.width() + left) * 3, out, y * w * 3, w * 3);
        return new RgbImage(w, h, out);
    }

    public static RgbImage hflip(RgbImage img) {
        int w = img.width();
        float[] out = new float[img.data().length];
        for (int y = 0; y < img.height(); y++)
            for (int x = 0; x < w; x++)
                System.arraycopy(img.data(), (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
        return new RgbImage(w, img.height(), out);
    }

    /** Rotated by quarter * 90 degrees counter-clockwise. */
    public static RgbImage rotate90(RgbImage img, int quarter) {
        int q = Math.floorMod(quarter, 4);
        if (q == 0) return img;
        int w = img.width(), h = img.height(), ow = q == 2 ? w : h, oh = q == 2 ? h : w;
        float[] out = new float[img.data().length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int nx = switch (q) { case 1 -> y; case 2 -> w - 1 - x; default -> h - 1 - y; };
                int ny = switch (q) { case 1 -> w - 1 - x; case 2 -> h - 1 - y; default -> x; };
                System.arraycopy(img.data(), (y * w + x) * 3, out, (ny * ow + nx) * 3, 3);
            }
        return new RgbImage(ow, oh, out);
    }
}
