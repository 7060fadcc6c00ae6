package dev.uvgl.data.synth;

import dev.uvgl.backend.cpu.Parallel;

/**
 * Low-frequency land-use weights (how urban, how wooded) precomputed on a coarse grid and
 * interpolated: they vary over hundreds of metres, so evaluating the noise at every map pixel
 * would only cost time.
 */
final class LandUse {
    private static final int STEP = 8;
    private final int cols, rows;
    private final float[] urban, forest;

    LandUse(ValueNoise urbanNoise, ValueNoise forestNoise, int width, int height, double mpp) {
        cols = width / STEP + 2;
        rows = height / STEP + 2;
        urban = new float[cols * rows];
        forest = new float[cols * rows];
        Parallel.range(rows, 8, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                for (int c = 0; c < cols; c++) {
                    double x = c * STEP * mpp, y = r * STEP * mpp;
                    urban[r * cols + c] = (float) urbanNoise.fbm(x / 900, y / 900, 3);
                    forest[r * cols + c] = (float) forestNoise.fbm(x / 400, y / 400, 4);
                }
            }
        });
    }

    double urban(double px, double py) { return lerp(urban, px, py); }

    double forest(double px, double py) { return lerp(forest, px, py); }

    private double lerp(float[] g, double px, double py) {
        double gx = Math.max(0, Math.min(cols - 1.001, px / STEP)), gy = Math.max(0, Math.min(rows - 1.001, py / STEP));
        int x0 = (int) gx, y0 = (int) gy;
        double fx = gx - x0, fy = gy - y0;
        int i = y0 * cols + x0;
        double top = g[i] + (g[i + 1] - g[i]) * fx, bot = g[i + cols] + (g[i + cols + 1] - g[i + cols]) * fx;
        return top + (bot - top) * fy;
    }
}
