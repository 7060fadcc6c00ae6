package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/** Sum of all elements, or along one axis (keepDim as in PyTorch). */
public final class Sum extends Node {
    private final Shape xShape;
    private final Integer axis;

    private Sum(Shape xShape, Integer axis) { this.xShape = xShape; this.axis = axis; }

    public static Tensor apply(Tensor x) { return record(new Sum(x.shape(), null), x.backend().sumAll(x), x); }

    public static Tensor apply(Tensor x, int axis, boolean keepDim) {
        return record(new Sum(x.shape(), axis), x.backend().sum(x, axis, keepDim), x);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        // Repeating gy on the backend, not through gy.item(): a device would wait for the host mid-backward.
        if (axis == null) return new Tensor[] {be.broadcastAlong(gy.view(Shape.of(1)), Shape.of(xShape.numel()),
                0).view(xShape)};
        return new Tensor[] {be.broadcastAlong(gy, xShape, axis)};
    }
}
