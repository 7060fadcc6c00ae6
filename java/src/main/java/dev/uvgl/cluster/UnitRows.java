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
            if (sq == 0) throw new BadInput("feature row " + i + " is all zeros and has no direction; drop or recompute that row");
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
     * x_a . x_b in double with a fixed summation order, so bit-identical rows get bit-identical
     * products and dot(a, b) == dot(b, a). Four partial sums keep the adds off one dependency chain.
     */
    public double dot(int a, int b) {
        int oa = a * dim, ob = b * dim, k = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; k + 3 < dim; k += 4) {
            s0 += (double) data[oa + k] * data[ob + k];
            s1 += (double) data[oa + k + 1] * data[ob + k + 1];
            s2 += (double) data[oa + k + 2] * data[ob + k + 2];
            s3 += (double) data[oa + k + 3] * data[ob + k + 3];
        }
        for (; k < dim; k++) s0 += (double) data[oa + k] * data[ob + k];
        return (s0 + s1) + (s2 + s3);
    }
}
