package dev.uvgl.cluster;

/**
 * N feature rows of dimension D, each divided by its L2 norm: the input of every clustering step
 * (dmnil.md section 3 normalises before the Jaccard distance). The norm is summed in double and each
 * element rounded once to float32, the same arithmetic as the dense reference script.
 */
public final class UnitRows {
    private final float[] data;
    private final int n, dim;

    private UnitRows(float[] data, int n, int dim) {
        this.data = data;
        this.n = n;
        this.dim = dim;
    }

    /**
     * Normalised copy of `raw` ([n, dim], row-major).
     * @throws IllegalArgumentException naming the first row that holds NaN/infinity or is all zeros
     */
    public static UnitRows normalise(float[] raw, int n, int dim) {
        if (n < 0 || dim <= 0 || (long) n * dim != raw.length)
            throw new IllegalArgumentException(raw.length + " values do not make " + n + " rows of dimension " + dim);
        float[] out = new float[raw.length];
        for (int i = 0; i < n; i++) {
            int o = i * dim;
            double sq = 0;
            for (int k = 0; k < dim; k++) {
                float v = raw[o + k];
                if (!Float.isFinite(v))
                    throw new BadInput("feature row " + i + " holds NaN or infinity; drop or recompute that row");
                sq += (double) v * v;
            }
            if (sq == 0)
                throw new BadInput("feature row " + i
                        + " is all zeros and has no direction; drop or recompute that row");
            double norm = Math.sqrt(sq);
            for (int k = 0; k < dim; k++) out[o + k] = (float) (raw[o + k] / norm);
        }
        return new UnitRows(out, n, dim);
    }

    public int n() { return n; }

    public int dim() { return dim; }

    /** Row-major [n, dim]; callers must not modify it. */
    public float[] data() { return data; }

    /**
     * x_a . x_b in double (each product exact, fused into its partial sum) with a fixed summation
     * order, so bit-identical rows get bit-identical products and dot(a, b) == dot(b, a). Eight
     * partial sums keep the adds off one dependency chain.
     */
    public double dot(int a, int b) {
        float[] x = data;
        int oa = a * dim, ob = b * dim, k = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (; k + 7 < dim; k += 8) {
            s0 = Math.fma(x[oa + k], (double) x[ob + k], s0);
            s1 = Math.fma(x[oa + k + 1], (double) x[ob + k + 1], s1);
            s2 = Math.fma(x[oa + k + 2], (double) x[ob + k + 2], s2);
            s3 = Math.fma(x[oa + k + 3], (double) x[ob + k + 3], s3);
            s4 = Math.fma(x[oa + k + 4], (double) x[ob + k + 4], s4);
            s5 = Math.fma(x[oa + k + 5], (double) x[ob + k + 5], s5);
            s6 = Math.fma(x[oa + k + 6], (double) x[ob + k + 6], s6);
            s7 = Math.fma(x[oa + k + 7], (double) x[ob + k + 7], s7);
        }
        for (; k < dim; k++) s0 = Math.fma(x[oa + k], (double) x[ob + k], s0);
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
