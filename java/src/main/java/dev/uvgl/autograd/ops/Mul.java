package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** a * b element-wise, b of a's shape or of its trailing dimensions (ConvNeXt's layer scale gamma). */
public final class Mul extends Node {
    private final Tensor a, b;

    private Mul(Tensor a, Tensor b) { this.a = a; this.b = b; }

    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Mul(a, b), a.backend().mul(a, b), a, b);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        Tensor ga = needsGrad(0) ? be.mul(gy, b) : null;
        Tensor gb = null;
        if (needsGrad(1)) {
            Tensor prod = be.mul(gy, a);
            gb = b.shape().equals(a.shape()) ? prod : be.sumToSuffix(prod, b.shape());
        }
        return new Tensor[] {ga, gb};
    }
}
