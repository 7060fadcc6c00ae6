package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.backend.TopK;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The k largest entries of each row (descending; ties keep the lower index; NaN ranks highest, as in
 * PyTorch) and their indices. The gradient flows back to the selected positions.
 */
public final class TopKValues extends Node {
    private final int[] indices;
    private final Shape xShape;

    private TopKValues(int[] indices, Shape xShape) { this.indices = indices; this.xShape = xShape; }

    public static TopK apply(Tensor x, int k) {
        TopK r = x.backend().topk(x, k);
        Tensor v = record(new TopKValues(r.indices(), x.shape()), r.values(), x);
        return new TopK(v, r.indices(), k);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        return new Tensor[] {gy.backend().topkBackward(gy, indices, xShape)};
    }
}
