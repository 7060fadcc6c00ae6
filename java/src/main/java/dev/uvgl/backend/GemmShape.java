package dev.uvgl.backend;

import dev.uvgl.tensor.Tensor;

/** The sizes of matmul's c [m, n] = op(a) [m, k] op(b) [k, n], checked once for every backend. */
public record GemmShape(int m, int n, int k) {
    /** Two 2-D operands whose inner dimensions agree after the transposes; else an error naming the shapes. */
    public static GemmShape of(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2)
            throw new IllegalArgumentException("matmul wants 2-D operands, got " + a.shape() + " and " + b.shape());
        int m = transA ? a.dim(1) : a.dim(0), k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0), n = transB ? b.dim(0) : b.dim(1);
        if (k != kb)
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + a.shape() + (transA ? "^T" : "")
                    + " x " + b.shape() + (transB ? "^T" : ""));
        return new GemmShape(m, n, k);
    }
}
