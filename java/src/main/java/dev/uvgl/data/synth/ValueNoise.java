package dev.uvgl.data.synth;

/**
 * Smooth lattice value noise and its fractal sum, hashed from a seed (no tables, so any range of coordinates works).
 */
final class ValueNoise {
    private final long seed;

    ValueNoise(long seed) { this.seed = seed; }

    /** Noise in [0, 1) at (x, y) in lattice units. */
    double at(double x, double y) {
        double fx = Math.floor(x), fy = Math.floor(y);
        long ix = (long) fx, iy = (long) fy;
        double tx = smooth(x - fx), ty = smooth(y - fy);
        double a = lattice(ix, iy), b = lattice(ix + 1, iy), c = lattice(ix, iy + 1), d = lattice(ix + 1, iy + 1);
        double top = a + (b - a) * tx, bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    /** Sum of `octaves` layers, each twice the frequency and half the weight; normalised to [0, 1). */
    double fbm(double x, double y, int octaves) {
        double sum = 0, weight = 1, total = 0, f = 1;
        for (int o = 0; o < octaves; o++) {
            sum += weight * at(x * f + o * 17.31, y * f - o * 9.73);
            total += weight;
            weight *= 0.5;
            f *= 2;
        }
        return sum / total;
    }

    private double lattice(long ix, long iy) {
        long h = Streams.mix(seed ^ (ix * 0x9E3779B97F4A7C15L) ^ (iy * 0xC2B2AE3D27D4EB4FL));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static double smooth(double t) { return t * t * (3 - 2 * t); }
}
