package dev.uvgl.dmnil.memory;

import dev.uvgl.backend.RowShapes;
import dev.uvgl.tensor.Tensor;

/** The shape rules of {@link MemoryOps}, one place for both implementations. */
public final class MemoryShapes {
    private MemoryShapes() {}

    /** memory [C, D], one row index per batch item in [0, C), x [B, D]; else an error naming the shapes. */
    public static void check(String op, Tensor memory, int[] rows, Tensor x) {
        if (memory.rank() != 2 || x.rank() != 2 || memory.dim(1) != x.dim(1) || rows.length != x.dim(0))
            throw new IllegalArgumentException(op + ": memory " + memory.shape() + ", " + rows.length
                    + " rows, x " + x.shape()
                    + " (want [C, D], B, [B, D])");
        for (int i = 0; i < rows.length; i++)
            if (rows[i] < 0 || rows[i] >= memory.dim(0))
                throw new IllegalArgumentException(op + ": row " + rows[i] + " of batch item " + i + " is outside [0, "
                        + memory.dim(0) + ")");
    }

    /** neighbourMask: q1, q2 [M, D] with rows in [0, M); k1, k2 [N, D]. */
    public static void checkNeighbourMask(Tensor q1, Tensor k1, Tensor q2, Tensor k2, int[] rows) {
        if (q1.rank() != 2 || k1.rank() != 2 || !q1.shape().equals(q2.shape()) || !k1.shape().equals(k2.shape())
                || q1.dim(1) != k1.dim(1))
            throw new IllegalArgumentException("neighbourMask: queries " + q1.shape() + " / " + q2.shape()
                    + " and keys "
                    + k1.shape() + " / " + k2.shape() + " (want two [M, D] and two [N, D])");
        RowShapes.checkGather(q1, rows);
    }

    /** Both operands of one op have one shape. */
    public static void checkSameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape()))
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }
}
