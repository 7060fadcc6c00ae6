package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Tensor;

/** Mean of all elements, or along one axis: a sum and a scale, so its gradient is theirs. */
public final class Mean {
    private Mean() {}

    public static Tensor apply(Tensor x) { return Scale.apply(Sum.apply(x), 1.0 / x.numel()); }

    public static Tensor apply(Tensor x, int axis, boolean keepDim) {
        return Scale.apply(Sum.apply(x, axis, keepDim), 1.0 / x.shape().dim(axis));
    }
}
