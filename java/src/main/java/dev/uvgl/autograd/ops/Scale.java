package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** scale * x + shift, for constants (loss weights, 1/tau, the KL smoothing's affine map). */
public final class Scale extends Node {
    private final double scale;

    private Scale(double scale) { this.scale = scale; }

    public static Tensor apply(Tensor x, double scale) { return apply(x, scale, 0.0); }

    public static Tensor apply(Tensor x, double scale, double shift) {
        return record(new Scale(scale), x.backend().affine(x, scale, shift), x);
    }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {gy.backend().affine(gy, scale, 0.0)}; }
}
