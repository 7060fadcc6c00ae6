package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** Each row divided by max(||row||, eps), as torch.nn.functional.normalize (eps 1e-12 by default). */
public final class L2Normalize extends Node {
    public static final double DEFAULT_EPS = 1e-12;
    private final Tensor x;
    private final double eps;

    private L2Normalize(Tensor x, double eps) { this.x = x; this.eps = eps; }

    public static Tensor apply(Tensor x) { return apply(x, DEFAULT_EPS); }

    public static Tensor apply(Tensor x, double eps) {
        return record(new L2Normalize(x, eps), x.backend().l2Normalize(x, eps), x);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        return new Tensor[] {x.backend().l2NormalizeBackward(x, gy, eps)};
    }
}
