package dev.uvgl.model;

import dev.uvgl.backend.Backend;
import dev.uvgl.nn.Conv2d;
import dev.uvgl.nn.LayerNorm;
import dev.uvgl.nn.Module;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** downsample_layers.0: conv 4x4 stride 4 ("0") then LayerNorm over channels ("1"). */
final class Stem extends Module {
    private final Conv2d conv;
    private final LayerNorm norm;

    Stem(Backend be, DType dtype, int inChannels, int dim, Random rng) {
        this.conv = register("0", new Conv2d(be, dtype, inChannels, dim, 4, 4, 0, 1, rng));
        this.norm = register("1", new LayerNorm(be, dtype, dim, ConvNeXtConfig.NORM_EPS));
    }

    Tensor forward(Tensor x) { return norm.forward(conv.forward(x)); }
}
