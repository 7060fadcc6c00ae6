package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * LayerNorm over one axis with affine gamma/beta and biased variance, as PyTorch's. Over the last
 * axis it is nn.LayerNorm; over axis 1 of NCHW it is ConvNeXt's channels_first LayerNorm. The engine
 * keeps activations NHWC, so its channel norms are the last-axis case.
 */
public final class LayerNorm extends Node {
    private final Tensor x, gamma, mean, rstd;
    private final int axis;

    private LayerNorm(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, int axis) {
        this.x = x; this.gamma = gamma; this.mean = mean; this.rstd = rstd; this.axis = axis;
    }

    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, double eps) {
        return apply(x, gamma, beta, -1, eps);
    }

    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, int axis, double eps) {
        Tensor[] r = x.backend().layerNorm(x, gamma, beta, axis, eps);
        return record(new LayerNorm(x, gamma, r[1], r[2], axis), r[0], x, gamma, beta);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        return x.backend().layerNormBackward(x, gamma, mean, rstd, gy, axis);
    }
}
