package dev.uvgl.nn;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** nn.Linear (weight [out, in]) over the last axis, initialised as timm's ConvNeXt (trunc normal .02, zero bias). */
public final class Linear extends Module {
    private final Parameter weight, bias;

    public Linear(Backend be, DType dtype, int in, int out, Random rng) {
        this.weight = register(new Parameter("weight", Init.truncNormal(be, Shape.of(out, in), dtype, 0.02, rng)));
        this.bias = register(new Parameter("bias", Init.constant(be, Shape.of(out), dtype, 0)));
    }

    public Tensor forward(Tensor x) { return dev.uvgl.autograd.ops.Linear.apply(x, weight.value(), bias.value()); }
}
