package dev.uvgl.model;

import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/**
 * Stochastic depth (timm's drop_path): in training, each sample's residual branch is zeroed with
 * probability `rate` and the kept ones scaled by 1/(1-rate); identity in eval or at rate 0.
 */
final class DropPath {
    private final double rate;
    private final Random rng;

    DropPath(double rate, Random rng) {
        if (!(rate >= 0 && rate < 1))
            throw new IllegalArgumentException("drop path rate must be in [0, 1), got " + rate);
        this.rate = rate;
        this.rng = rng;
    }

    Tensor apply(Tensor branch, boolean training) {
        if (!training || rate == 0) return branch;
        int n = branch.dim(0), per = branch.numel() / n;
        // A full-size mask because Mul broadcasts over leading dims only;
        // drop path is off by default, so its memory rarely matters.
        float[] mask = new float[branch.numel()];
        float keep = (float) (1 / (1 - rate));
        for (int i = 0; i < n; i++)
            if (rng.nextDouble() >= rate) java.util.Arrays.fill(mask, i * per, (i + 1) * per, keep);
        Tensor m = branch.backend().toDType(branch.backend().fromArray(mask, branch.shape()), branch.dtype());
        return Mul.apply(branch, m);
    }
}
