package dev.uvgl.eval.locate;

/** Rows scaled to unit length, so a dot product is the cosine similarity the evaluation ranks by. */
final class UnitRows {
    private UnitRows() {}

    static float[] normalised(float[] rows, int dim) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length / dim; r++) {
            double s = 0;
            for (int j = 0; j < dim; j++) s += (double) rows[r * dim + j] * rows[r * dim + j];
            float inv = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
            for (int j = 0; j < dim; j++) out[r * dim + j] = rows[r * dim + j] * inv;
        }
        return out;
    }
}
