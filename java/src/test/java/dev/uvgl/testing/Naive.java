package dev.uvgl.testing;

/**
 * Obviously-correct reference computations in double, written straight from the definitions
 * (PyTorch's documentation), to check the kernels' forward results.
 */
public final class Naive {
    private Naive() {}

    /** x NHWC, w OIHW, PyTorch's conv2d semantics with groups. */
    public static double[] conv2d(double[] x, int n, int h, int w, int cin, double[] wt, int cout, int kh, int kw,
                                  double[] bias, int stride, int pad, int groups) {
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
        int cig = cin / groups, cog = cout / groups;
        double[] y = new double[n * oh * ow * cout];
        for (int b = 0; b < n; b++)
            for (int yo = 0; yo < oh; yo++)
                for (int xo = 0; xo < ow; xo++)
                    for (int co = 0; co < cout; co++) {
                        int grp = co / cog;
                        double s = bias == null ? 0 : bias[co];
                        for (int ci = 0; ci < cig; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++) {
                                    int ih = yo * stride - pad + i, iw = xo * stride - pad + j;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    s += x[((b * h + ih) * w + iw) * cin + grp * cig + ci]
                                            * wt[((co * cig + ci) * kh + i) * kw + j];
                                }
                        y[((b * oh + yo) * ow + xo) * cout + co] = s;
                    }
        return y;
    }

    /** LayerNorm over the middle axis of x viewed as [outer, c, inner]. */
    public static double[] layerNorm(double[] x, int outer, int c, int inner, double[] gamma, double[] beta,
            double eps) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                double mean = 0, var = 0;
                for (int k = 0; k < c; k++) mean += x[(o * c + k) * inner + i];
                mean /= c;
                for (int k = 0; k < c; k++) { double d = x[(o * c + k) * inner + i] - mean; var += d * d; }
                var /= c;
                for (int k = 0; k < c; k++) {
                    int idx = (o * c + k) * inner + i;
                    y[idx] = (x[idx] - mean) / Math.sqrt(var + eps) * gamma[k] + beta[k];
                }
            }
        return y;
    }

    public static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
            c[i * n + j] = s;
        }
        return c;
    }

    public static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    /** log softmax of x / t per row of length d. */
    public static double[] logSoftmax(double[] x, int d, double t) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < d; j++) max = Math.max(max, x[r * d + j] / t);
            for (int j = 0; j < d; j++) sum += Math.exp(x[r * d + j] / t - max);
            for (int j = 0; j < d; j++) y[r * d + j] = x[r * d + j] / t - max - Math.log(sum);
        }
        return y;
    }
}
