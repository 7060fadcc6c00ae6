package dev.uvgl.backend;

import dev.uvgl.tensor.Tensor;

/** The shape rules of the row ops (gatherRows, nearestRows, the cross-entropy labels), one place for every backend. */
public final class RowShapes {
    private RowShapes() {}

    /** nearestRows: queries [Q, D] and keys [N, D] of one width, 1 <= k <= N. */
    public static void checkNearest(Tensor queries, Tensor keys, int k) {
        if (queries.rank() != 2 || keys.rank() != 2 || queries.dim(1) != keys.dim(1))
            throw new IllegalArgumentException("nearestRows: queries " + queries.shape() + " and keys " + keys.shape()
                    + " (want [Q, D] and [N, D])");
        if (k < 1 || k > keys.dim(0))
            throw new IllegalArgumentException("nearestRows: k = " + k + " must lie in [1, " + keys.dim(0)
                    + "] (the key rows)");
    }

    /** gatherRows: memory [C, D] and row indices in [0, C). */
    public static void checkGather(Tensor memory, int[] rows) {
        if (memory.rank() != 2)
            throw new IllegalArgumentException("gatherRows: memory must be [C, D], got " + memory.shape());
        for (int i = 0; i < rows.length; i++)
            if (rows[i] < 0 || rows[i] >= memory.dim(0))
                throw new IllegalArgumentException("gatherRows: row " + rows[i] + " of item " + i + " is outside [0, "
                        + memory.dim(0) + ")");
    }

    /** softmaxCrossEntropy: one label per row of the last axis, each in [0, d); returns the row count. */
    public static int checkLabels(Tensor logits, int[] labels) {
        int d = logits.shape().last(), rows = logits.numel() / Math.max(1, d);
        if (labels.length != rows)
            throw new IllegalArgumentException("softmaxCrossEntropy: " + labels.length + " labels for " + rows
                    + " rows of " + logits.shape());
        for (int i = 0; i < rows; i++)
            if (labels[i] < 0 || labels[i] >= d)
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[i] + " of row " + i
                        + " is outside [0, " + d + ")");
        return rows;
    }
}
