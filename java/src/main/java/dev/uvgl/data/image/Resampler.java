package dev.uvgl.data.image;

/**
 * PIL's resize (Image.resize with BILINEAR or BICUBIC, which torchvision's Resize calls on PIL
 * images): separable convolution with the filter stretched by the scale when shrinking (so it
 * antialiases), output pixel centres at (i + 0.5) * scale, horizontal pass then vertical, each
 * rounded to 8 bits as PIL stores its intermediate image.
 */
public final class Resampler {
    public enum Filter {
        BILINEAR(1) {
            @Override double weight(double x) { x = Math.abs(x); return x < 1 ? 1 - x : 0; }
        },
        BICUBIC(2) {
            @Override double weight(double x) {
                double a = -0.5;
                x = Math.abs(x);
                if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
                if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
                return 0;
            }
        };

        final double support;

        Filter(double support) { this.support = support; }

        abstract double weight(double x);
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resampler() {}

    public static RgbImage resize(RgbImage src, int outW, int outH, Filter filter) {
        if (src.width() == outW && src.height() == outH) return src;
        RgbImage tmp = src.width() == outW ? src : pass(src, outW, true, filter);
        return tmp.height() == outH ? tmp : pass(tmp, outH, false, filter);
    }

    private static RgbImage pass(RgbImage src, int outLen, boolean horizontal, Filter filter) {
        int inLen = horizontal ? src.width() : src.height();
        int other = horizontal ? src.height() : src.width();
        double scale = (double) inLen / outLen, fscale = Math.max(1, scale), support = filter.support * fscale;
        int w = horizontal ? outLen : src.width(), h = horizontal ? src.height() : outLen;
        float[] out = new float[w * h * 3];
        float[] in = src.data();
        for (int o = 0; o < outLen; o++) {
            double centre = (o + 0.5) * scale;
            int lo = (int) Math.max(0, Math.floor(centre - support + 0.5)); // PIL: (int)(center - support + 0.5)
            int hi = (int) Math.min(inLen, Math.floor(centre + support + 0.5));
            double[] k = new double[Math.max(0, hi - lo)];
            double total = 0;
            for (int i = lo; i < hi; i++) total += k[i - lo] = filter.weight((i - centre + 0.5) / fscale);
            // PIL's 8-bit path: weights normalised, then rounded to 22-bit fixed point, accumulated in integers.
            long[] kk = new long[k.length];
            for (int i = 0; i < k.length; i++) {
                double v = total != 0 ? k[i] / total : 0;
                kk[i] = (long) (v * (1 << PRECISION_BITS) + (v < 0 ? -0.5 : 0.5));
            }
            for (int t = 0; t < other; t++) {
                for (int c = 0; c < 3; c++) {
                    long acc = 1L << (PRECISION_BITS - 1);
                    for (int i = lo; i < hi; i++) {
                        int idx = horizontal ? (t * src.width() + i) * 3 + c : (i * src.width() + t) * 3 + c;
                        acc += kk[i - lo] * (long) in[idx];
                    }
                    int oi = horizontal ? (t * w + o) * 3 + c : (o * w + t) * 3 + c;
                    out[oi] = Math.max(0, Math.min(255, (int) (acc >> PRECISION_BITS)));
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
