package dev.uvgl.nn;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/** LayerNorm over the last axis (channels, for NHWC activations) with weight 1 and bias 0 to start. */
public final class LayerNorm extends Module {
    private final Parameter weight, bias;
    private final double eps;

    public LayerNorm(Backend be, DType dtype, int channels, double eps) {
        this.weight = register(new Parameter("weight", Init.constant(be, Shape.of(channels), dtype, 1)));
        this.bias = register(new Parameter("bias", Init.constant(be, Shape.of(channels), dtype, 0)));
        this.eps = eps;
    }

    public Tensor forward(Tensor x) {
        return dev.uvgl.autograd.ops.LayerNorm.apply(x, weight.value(), bias.value(), eps);
    }
}
