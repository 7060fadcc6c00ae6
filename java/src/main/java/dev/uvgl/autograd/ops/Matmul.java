package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * op(a) x op(b) for 2-D tensors, op = optional transpose. Features x memory bank^T is
 * apply(features, false, memory, true).
 */
public final class Matmul extends Node {
    private final Tensor a, b;
    private final boolean ta, tb;

    private Matmul(Tensor a, boolean ta, Tensor b, boolean tb) { this.a = a; this.ta = ta; this.b = b; this.tb = tb; }

    public static Tensor apply(Tensor a, Tensor b) { return apply(a, false, b, false); }

    public static Tensor apply(Tensor a, boolean transA, Tensor b, boolean transB) {
        return record(new Matmul(a, transA, b, transB), a.backend().matmul(a, transA, b, transB), a, b);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        // C = op(A) op(B): dop(A) = G op(B)^T, dop(B) = op(A)^T G; a transposed operand takes the transpose back.
        Tensor ga = !needsGrad(0) ? null : ta ? be.matmul(b, tb, gy, true) : be.matmul(gy, false, b, !tb);
        Tensor gb = !needsGrad(1) ? null : tb ? be.matmul(gy, true, a, ta) : be.matmul(a, !ta, gy, false);
        return new Tensor[] {ga, gb};
    }
}
