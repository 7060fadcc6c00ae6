package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/** y = x W^T + b over the last axis of x (any leading shape), W [out, in] as in PyTorch's nn.Linear. */
public final class Linear extends Node {
    private final Tensor x2d, w;
    private final boolean hasBias;

    private Linear(Tensor x2d, Tensor w, boolean hasBias) { this.x2d = x2d; this.w = w; this.hasBias = hasBias; }

    public static Tensor apply(Tensor x, Tensor w, Tensor biasOrNull) {
        int in = x.shape().last();
        if (w.rank() != 2 || w.dim(1) != in)
            throw new IllegalArgumentException("linear: weight " + w.shape() + " does not take inputs of " + in
                    + " features (x " + x.shape() + ")");
        var be = x.backend();
        Tensor x2d = x.view(Shape.of(x.numel() / Math.max(1, in), in));
        Tensor y = be.matmul(x2d, false, w, true);
        if (biasOrNull != null) y = be.add(y, biasOrNull);
        y = y.view(x.shape().withLast(w.dim(0)));
        return biasOrNull == null ? record(new Linear(x2d, w, false), y, x, w)
                                  : record(new Linear(x2d, w, true), y, x, w, biasOrNull);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        Tensor g2d = gy.view(Shape.of(x2d.dim(0), w.dim(0)));
        Tensor gx = needsGrad(0) ? be.matmul(g2d, false, w, false).view(inputShape(gy)) : null;
        Tensor gw = needsGrad(1) ? be.matmul(g2d, true, x2d, false) : null;
        if (!hasBias) return new Tensor[] {gx, gw};
        Tensor gb = needsGrad(2) ? be.sumToSuffix(g2d, Shape.of(w.dim(0))) : null;
        return new Tensor[] {gx, gw, gb};
    }

    private Shape inputShape(Tensor gy) { return gy.shape().withLast(w.dim(1)); }
}
