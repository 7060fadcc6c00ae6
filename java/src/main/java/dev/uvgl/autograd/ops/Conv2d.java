package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * 2-D convolution, x NHWC, weight OIHW (PyTorch's), y NHWC; any kernel, stride, padding and groups.
 * ConvNeXt uses it as the 4x4/4 stem, the 2x2/2 downsample and the 7x7 depthwise (groups = C).
 */
public final class Conv2d extends Node {
    private final Tensor x, w;
    private final Conv2dGeometry g;
    private final boolean hasBias;

    private Conv2d(Tensor x, Tensor w, Conv2dGeometry g, boolean hasBias) {
        this.x = x;
        this.w = w;
        this.g = g;
        this.hasBias = hasBias;
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor biasOrNull, int stride, int padding, int groups) {
        Conv2dGeometry g = Conv2dGeometry.of(x.shape(), w.shape(), stride, padding, groups);
        Tensor y = x.backend().conv2d(x, w, biasOrNull, g);
        return biasOrNull == null ? record(new Conv2d(x, w, g, false), y, x, w)
                                  : record(new Conv2d(x, w, g, true), y, x, w, biasOrNull);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        Tensor gx = needsGrad(0) ? be.conv2dBackwardInput(gy, w, g) : null;
        Tensor gw = needsGrad(1) ? be.conv2dBackwardWeight(x, gy, g) : null;
        if (!hasBias) return new Tensor[] {gx, gw};
        return new Tensor[] {gx, gw, needsGrad(2) ? be.sumToSuffix(gy, Shape.of(g.cout())) : null};
    }
}
