package dev.uvgl.nn;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/**
 * A convolution layer on NHWC activations with an OIHW weight and a
 * bias, initialised as timm's ConvNeXt (trunc normal .02, zero bias).
 */
public final class Conv2d extends Module {
    private final Parameter weight, bias;
    private final int stride, padding, groups;

    public Conv2d(Backend be, DType dtype, int cin, int cout, int kernel, int stride, int padding, int groups,
            Random rng) {
        this.weight = register(new Parameter("weight",
                Init.truncNormal(be, Shape.of(cout, cin / groups, kernel, kernel), dtype, 0.02, rng)));
        this.bias = register(new Parameter("bias", Init.constant(be, Shape.of(cout), dtype, 0)));
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
    }

    public Tensor forward(Tensor x) {
        return dev.uvgl.autograd.ops.Conv2d.apply(x, weight.value(), bias.value(), stride, padding, groups);
    }

    public Parameter weight() { return weight; }
}
