package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** GELU in its exact erf form, x * Phi(x), as PyTorch's nn.GELU() default. */
public final class Gelu extends Node {
    private final Tensor x;

    private Gelu(Tensor x) { this.x = x; }

    public static Tensor apply(Tensor x) { return record(new Gelu(x), x.backend().gelu(x), x); }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {x.backend().geluBackward(x, gy)}; }
}
