package dev.uvgl.backend;

import dev.uvgl.tensor.Shape;

/**
 * Everything a 2-D convolution kernel needs to know besides the data. Activations are NHWC (channels
 * last, so LayerNorm over channels and the pointwise Linear layers of ConvNeXt read contiguous rows);
 * weights are OIHW, PyTorch's layout, so state_dict shapes match PyTorch's.
 */
public record Conv2dGeometry(int n, int h, int w, int cin, int cout, int kh, int kw,
                             int strideH, int strideW, int padH, int padW, int groups) {

    public Conv2dGeometry {
        if (groups < 1 || cin % groups != 0 || cout % groups != 0)
            throw new IllegalArgumentException("groups=" + groups + " must divide cin=" + cin + " and cout=" + cout);
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("stride must be >= 1 and padding >= 0, got stride " + strideH + "x"
                    + strideW + " pad " + padH + "x" + padW);
        if (h + 2 * padH < kh || w + 2 * padW < kw)
            throw new IllegalArgumentException("a " + kh + "x" + kw + " kernel does not fit a " + h + "x" + w
                    + " input with padding " + padH + "x" + padW);
    }

    /** Geometry of x (NHWC) convolved with w (OIHW). */
    public static Conv2dGeometry of(Shape x, Shape w, int stride, int pad, int groups) {
        if (x.rank() != 4 || w.rank() != 4)
            throw new IllegalArgumentException("conv2d wants x NHWC and w OIHW (rank 4), got " + x + " and " + w);
        if (x.dim(3) != w.dim(1) * groups)
            throw new IllegalArgumentException("conv2d: x " + x + " has " + x.dim(3) + " channels, weight " + w
                    + " with groups=" + groups + " expects " + w.dim(1) * groups);
        return new Conv2dGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), stride, stride,
                pad, pad, groups);
    }

    public int outH() { return (h + 2 * padH - kh) / strideH + 1; }

    public int outW() { return (w + 2 * padW - kw) / strideW + 1; }

    public int cinPerGroup() { return cin / groups; }

    public int coutPerGroup() { return cout / groups; }

    public boolean depthwise() { return groups == cin && groups == cout; }

    public Shape inputShape() { return Shape.of(n, h, w, cin); }

    public Shape outputShape() { return Shape.of(n, outH(), outW(), cout); }

    public Shape weightShape() { return Shape.of(cout, cinPerGroup(), kh, kw); }
}
