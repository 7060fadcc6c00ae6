package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/** Same elements, another shape (no copy: tensors are contiguous). One dimension may be -1. */
public final class Reshape extends Node {
    private final Shape from;

    private Reshape(Shape from) { this.from = from; }

    public static Tensor apply(Tensor x, int... dims) {
        int known = 1, free = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (free >= 0)
                    throw new IllegalArgumentException("reshape: more than one -1 in "
                            + java.util.Arrays.toString(dims));
                free = i;
            } else known *= dims[i];
        }
        int[] d = dims.clone();
        if (free >= 0) {
            if (known == 0 || x.numel() % known != 0)
                throw new IllegalArgumentException("cannot reshape " + x.shape() + " to "
                        + java.util.Arrays.toString(dims));
            d[free] = x.numel() / known;
        }
        return record(new Reshape(x.shape()), x.view(Shape.of(d)), x);
    }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {gy.view(from)}; }
}
