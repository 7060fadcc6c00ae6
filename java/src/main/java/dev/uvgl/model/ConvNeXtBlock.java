package dev.uvgl.model;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.Gelu;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.backend.Backend;
import dev.uvgl.nn.Conv2d;
import dev.uvgl.nn.Init;
import dev.uvgl.nn.LayerNorm;
import dev.uvgl.nn.Linear;
import dev.uvgl.nn.Module;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/**
 * x + drop_path(gamma * pwconv2(gelu(pwconv1(norm(dwconv7x7(x)))))), on NHWC activations so the
 * norm and both pointwise layers work on contiguous channel rows. Names follow the original
 * ConvNeXt release (gamma registered first, as its state_dict lists it).
 */
public final class ConvNeXtBlock extends Module {
    private final Parameter gamma;
    private final Conv2d dwconv;
    private final LayerNorm norm;
    private final Linear pwconv1, pwconv2;
    private final DropPath dropPath;

    ConvNeXtBlock(Backend be, DType dtype, int dim, double dropPathRate, Random rng, Random dropRng) {
        this.gamma = register(
                new Parameter("gamma", Init.constant(be, Shape.of(dim), dtype, ConvNeXtConfig.LAYER_SCALE_INIT)));
        this.dwconv = register("dwconv", new Conv2d(be, dtype, dim, dim, 7, 1, 3, dim, rng));
        this.norm = register("norm", new LayerNorm(be, dtype, dim, ConvNeXtConfig.NORM_EPS));
        this.pwconv1 = register("pwconv1", new Linear(be, dtype, dim, 4 * dim, rng));
        this.pwconv2 = register("pwconv2", new Linear(be, dtype, 4 * dim, dim, rng));
        this.dropPath = new DropPath(dropPathRate, dropRng);
    }

    public Tensor forward(Tensor x) {
        Tensor h = dwconv.forward(x);
        h = norm.forward(h);
        h = pwconv1.forward(h);
        h = Gelu.apply(h);
        h = pwconv2.forward(h);
        h = Mul.apply(h, gamma.value());
        h = dropPath.apply(h, isTraining());
        return Add.apply(x, h);
    }
}
