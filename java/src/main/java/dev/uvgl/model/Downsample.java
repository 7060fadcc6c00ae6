package dev.uvgl.model;

import dev.uvgl.backend.Backend;
import dev.uvgl.nn.Conv2d;
import dev.uvgl.nn.LayerNorm;
import dev.uvgl.nn.Module;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** downsample_layers.i (i > 0): LayerNorm over channels ("0") then conv 2x2 stride 2 ("1"). */
final class Downsample extends Module {
    private final LayerNorm norm;
    private final Conv2d conv;

    Downsample(Backend be, DType dtype, int in, int out, Random rng) {
        this.norm = register("0", new LayerNorm(be, dtype, in, ConvNeXtConfig.NORM_EPS));
        this.conv = register("1", new Conv2d(be, dtype, in, out, 2, 2, 0, 1, rng));
    }

    Tensor forward(Tensor x) { return conv.forward(norm.forward(x)); }
}
