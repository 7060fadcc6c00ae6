package dev.uvgl.data.synth;

/**
 * The painted north-up map (packed RGB, row 0 at the north edge) plus a box-filtered mip pyramid,
 * sampled by world position in metres (x east, y north) with a footprint so that far or shrunk
 * views average the ground under each output pixel instead of aliasing.
 */
public final class Orthomosaic {
    private final double metresPerPixel;
    private final int[][] levels;
    private final int[] widths, heights;
    private final HeightField relief;

    Orthomosaic(int[] rgb, int width, int height, double metresPerPixel, HeightField relief) {
        this.metresPerPixel = metresPerPixel;
        this.relief = relief;
        int n = 1;
        for (int w = width, h = height; w > 8 && h > 8 && n < 8; w /= 2, h /= 2) n++;
        levels = new int[n][];
        widths = new int[n];
        heights = new int[n];
        levels[0] = rgb;
        widths[0] = width;
        heights[0] = height;
        for (int l = 1; l < n; l++) downsample(l);
    }

    public double widthMetres() { return widths[0] * metresPerPixel; }

    public double heightMetres() { return heights[0] * metresPerPixel; }

    public double metresPerPixel() { return metresPerPixel; }

    /** The tallest structure on the map, metres. */
    double maxHeight() { return relief.maxMetres(); }

    /** Height of the structure at world (x, y), metres (0 = ground). */
    double heightAt(double x, double y) {
        return relief.at((int) Math.floor(x / metresPerPixel),
                (int) Math.floor((heights[0] * metresPerPixel - y) / metresPerPixel));
    }

    /** An upper bound of heightAt over the few metres around (x, y). */
    double heightBoundAt(double x, double y) {
        return relief.blockMaxAt((int) Math.floor(x / metresPerPixel),
                (int) Math.floor((heights[0] * metresPerPixel - y) / metresPerPixel));
    }

    /**
     * Average colour (0..255 per channel, into out[0..2]) of the ground around (x, y) over about `footprint` metres.
     */
    public void sample(double x, double y, double footprint, float[] out) {
        double lod = Math.log(Math.max(footprint, 1e-9) / metresPerPixel) / Math.log(2);
        if (lod <= 0) {
            bilinear(0, x, y, out, 1f, true);
            return;
        }
        int l0 = (int) Math.floor(lod);
        if (l0 >= levels.length - 1) {
            bilinear(levels.length - 1, x, y, out, 1f, true);
            return;
        }
        float t = (float) (lod - l0);
        bilinear(l0, x, y, out, 1 - t, true);
        bilinear(l0 + 1, x, y, out, t, false);
    }

    private void bilinear(int l, double x, double y, float[] out, float weight, boolean overwrite) {
        double scale = metresPerPixel * (1 << l);
        double px = x / scale - 0.5, py = (heights[0] * metresPerPixel - y) / scale - 0.5;
        int w = widths[l], h = heights[l];
        int[] img = levels[l];
        int x0 = (int) Math.floor(px), y0 = (int) Math.floor(py);
        float fx = (float) (px - x0), fy = (float) (py - y0);
        int xa = clamp(x0, w), xb = clamp(x0 + 1, w), ya = clamp(y0, h), yb = clamp(y0 + 1, h);
        int a = img[ya * w + xa], b = img[ya * w + xb], c = img[yb * w + xa], d = img[yb * w + xb];
        for (int ch = 0; ch < 3; ch++) {
            int s = 16 - 8 * ch;
            float top = ((a >> s) & 255) * (1 - fx) + ((b >> s) & 255) * fx;
            float bot = ((c >> s) & 255) * (1 - fx) + ((d >> s) & 255) * fx;
            float v = (top * (1 - fy) + bot * fy) * weight;
            out[ch] = overwrite ? v : out[ch] + v;
        }
    }

    private static int clamp(int i, int n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

    private void downsample(int l) {
        int sw = widths[l - 1], sh = heights[l - 1], w = sw / 2, h = sh / 2;
        int[] src = levels[l - 1], dst = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 2 * y * sw + 2 * x;
                int p = src[i], q = src[i + 1], r = src[i + sw], s = src[i + sw + 1];
                int out = 0;
                for (int sh8 = 16; sh8 >= 0; sh8 -= 8) {
                    int sum = ((p >> sh8) & 255) + ((q >> sh8) & 255) + ((r >> sh8) & 255) + ((s >> sh8) & 255);
                    out |= ((sum + 2) >> 2) << sh8;
                }
                dst[y * w + x] = out;
            }
        }
        levels[l] = dst;
        widths[l] = w;
        heights[l] = h;
    }
}
