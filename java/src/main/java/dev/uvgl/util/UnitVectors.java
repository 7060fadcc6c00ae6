package dev.uvgl.util;

/**
 * Host rows scaled to unit length, so a dot product is the cosine similarity retrieval ranks by. The squared
 * norm is summed in double and each element multiplied by one float reciprocal; an all-zero row stays zero
 * (the 1e-12 floor of torch's F.normalize). Clustering's strict variant, which refuses zero and NaN rows, is
 * cluster/UnitRows; the backend's L2Normalize is the op the network trains through.
 */
public final class UnitVectors {
    private UnitVectors() {}

    /** A normalised copy of one row. */
    public static float[] normalised(float[] v) {
        float[] out = new float[v.length];
        scale(v, 0, v.length, out);
        return out;
    }

    /** A normalised copy of row-major rows of `dim` values each. */
    public static float[] normalisedRows(float[] rows, int dim) {
        if (dim <= 0 || rows.length % dim != 0)
            throw new IllegalArgumentException(rows.length + " values do not make rows of dimension " + dim);
        float[] out = new float[rows.length];
        for (int o = 0; o < rows.length; o += dim) scale(rows, o, dim, out);
        return out;
    }

    private static void scale(float[] in, int offset, int dim, float[] out) {
        double s = 0;
        for (int j = 0; j < dim; j++) s += (double) in[offset + j] * in[offset + j];
        float inv = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
        for (int j = 0; j < dim; j++) out[offset + j] = in[offset + j] * inv;
    }
}
