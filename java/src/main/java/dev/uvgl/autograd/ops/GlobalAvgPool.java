package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/** Mean over H and W of an NHWC tensor: [N, H, W, C] -> [N, C]. */
public final class GlobalAvgPool extends Node {
    private final Shape xShape;

    private GlobalAvgPool(Shape xShape) { this.xShape = xShape; }

    public static Tensor apply(Tensor x) {
        return record(new GlobalAvgPool(x.shape()), x.backend().globalAvgPool(x), x);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        return new Tensor[] {gy.backend().globalAvgPoolBackward(gy, xShape)};
    }
}
