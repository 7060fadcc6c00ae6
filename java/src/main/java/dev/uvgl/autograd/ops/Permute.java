package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** Reorders axes (a contiguous copy): result axis i is input axis perm[i]. NCHW <-> NHWC at the edges. */
public final class Permute extends Node {
    private final int[] inverse;

    private Permute(int[] inverse) { this.inverse = inverse; }

    public static Tensor apply(Tensor x, int... perm) {
        Tensor y = x.backend().permute(x, perm);
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[x.shape().axis(perm[i])] = i;
        return record(new Permute(inv), y, x);
    }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {gy.backend().permute(gy, inverse)}; }
}
