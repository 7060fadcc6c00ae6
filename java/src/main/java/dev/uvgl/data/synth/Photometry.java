package dev.uvgl.data.synth;

import java.util.SplittableRandom;

/**
 * What makes two photos of one place differ besides geometry: exposure, white balance, contrast
 * and saturation, drifting clouds or their shadows, an occluder at the frame's edge, lens blur and
 * sensor noise. Applied in place to interleaved 0..255 RGB floats.
 */
final class Photometry {
    private Photometry() {}

    static void apply(float[] img, int size, SplittableRandom rnd) { apply(img, size, rnd, 1); }

    /**
     * At a strength in [0, 1]: every deviation from the plain image (gain, contrast, saturation, white balance,
     * gamma, cloud and occluder odds, blur, noise) scaled towards none; at 1 exactly what a drone photo gets.
     */
    static void apply(float[] img, int size, SplittableRandom rnd, double strength) {
        double gain = ease(rnd.nextDouble(0.7, 1.3), strength), contrast = ease(rnd.nextDouble(0.75, 1.25), strength);
        double saturation = ease(rnd.nextDouble(0.6, 1.3), strength);
        double[] wb = {ease(rnd.nextDouble(0.9, 1.1), strength), ease(rnd.nextDouble(0.94, 1.06), strength),
                ease(rnd.nextDouble(0.88, 1.12), strength)};
        double gamma = ease(rnd.nextDouble(0.85, 1.2), strength);
        for (int i = 0; i < img.length; i += 3) {
            double grey = 0.299 * img[i] + 0.587 * img[i + 1] + 0.114 * img[i + 2];
            for (int c = 0; c < 3; c++) {
                double v = grey + (img[i + c] - grey) * saturation;
                v = 128 + (v - 128) * contrast;
                v = 255 * Math.pow(Math.max(0, v * gain * wb[c]) / 255, gamma);
                img[i + c] = (float) v;
            }
        }
        boolean cloudy = rnd.nextDouble() < 0.35 * strength;
        if (cloudy) clouds(img, size, rnd);
        if (rnd.nextDouble() < 0.15 * strength) occluder(img, size, rnd);
        if (rnd.nextDouble() < 0.5 * strength) blur(img, size, rnd.nextDouble(0.4, 1.3));
        double sigma = rnd.nextDouble(1, 7) * strength;
        for (int i = 0; i < img.length; i++)
            img[i] = (float) Math.max(0, Math.min(255, img[i] + sigma * gaussian(rnd)));
    }

    /** Soft noise blobs: bright haze (cloud in front of the lens) or dark patches (a cloud's shadow on the ground). */
    private static void clouds(float[] img, int size, SplittableRandom rnd) {
        ValueNoise n = new ValueNoise(rnd.nextLong());
        double scale = rnd.nextDouble(2, 5) / size, cover = rnd.nextDouble(0.45, 0.65),
                strength = rnd.nextDouble(0.5, 0.9);
        boolean shadow = rnd.nextBoolean();
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double a = (n.fbm(c * scale, r * scale, 3) - cover) / 0.12;
                a = Math.max(0, Math.min(1, a)) * strength;
                int o = (r * size + c) * 3;
                for (int ch = 0; ch < 3; ch++)
                    img[o + ch] = (float) (shadow ? img[o + ch] * (1 - 0.55 * a)
                            : img[o + ch] + (236 - img[o + ch]) * a);
            }
        }
    }

    /** A dark out-of-focus shape entering from one edge (a branch, the drone's own leg). */
    private static void occluder(float[] img, int size, SplittableRandom rnd) {
        int edge = rnd.nextInt(4);
        double reach = rnd.nextDouble(0.08, 0.22) * size, centre = rnd.nextDouble(0.2, 0.8) * size,
                width = rnd.nextDouble(0.1, 0.3) * size;
        float tone = (float) rnd.nextDouble(20, 60);
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                double depth = switch (edge) {
                    case 0 -> r;
                    case 1 -> size - 1 - r;
                    case 2 -> c;
                    default -> size - 1 - c;
                };
                double across = (edge < 2 ? c : r) - centre;
                double limit = reach * Math.max(0, 1 - (across * across) / (width * width));
                double a = Math.max(0, Math.min(1, (limit - depth) / 3));
                int o = (r * size + c) * 3;
                for (int ch = 0; ch < 3; ch++) img[o + ch] += (tone - img[o + ch]) * a;
            }
        }
    }

    private static void blur(float[] img, int size, double sigma) {
        int rad = (int) Math.ceil(2.5 * sigma);
        float[] k = new float[2 * rad + 1];
        float sum = 0;
        for (int i = -rad; i <= rad; i++) sum += k[i + rad] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        float[] tmp = new float[img.length];
        for (int pass = 0; pass < 2; pass++) {
            float[] src = pass == 0 ? img : tmp, dst = pass == 0 ? tmp : img;
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    for (int ch = 0; ch < 3; ch++) {
                        float acc = 0;
                        for (int i = -rad; i <= rad; i++) {
                            int rr = pass == 1 ? Math.max(0, Math.min(size - 1, r + i)) : r;
                            int cc = pass == 0 ? Math.max(0, Math.min(size - 1, c + i)) : c;
                            acc += k[i + rad] * src[(rr * size + cc) * 3 + ch];
                        }
                        dst[(r * size + c) * 3 + ch] = acc;
                    }
                }
            }
        }
    }

    /** A factor around 1 moved towards 1 as the strength falls. */
    private static double ease(double factor, double strength) {
        return strength == 1 ? factor : 1 + strength * (factor - 1);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble(1e-12, 1), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
