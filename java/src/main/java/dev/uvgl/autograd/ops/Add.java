package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** a + b, b of a's shape or of its trailing dimensions (a bias, a per-channel shift). Also the residual add. */
public final class Add extends Node {
    private final Tensor a, b;

    private Add(Tensor a, Tensor b) { this.a = a; this.b = b; }

    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Add(a, b), a.backend().add(a, b), a, b);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        Tensor gb = !needsGrad(1) ? null : b.shape().equals(gy.shape()) ? gy : gy.backend().sumToSuffix(gy, b.shape());
        return new Tensor[] {gy, gb};
    }
}
