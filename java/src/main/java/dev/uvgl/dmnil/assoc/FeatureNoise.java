package dev.uvgl.dmnil.assoc;

import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The noisy copies of association step 1 (dmnil.md section 5): x + std * N(0, 1), not renormalised.
 * One Gaussian per element in row-major order from a SplittableRandom seeded by the caller, so a
 * run is repeatable; the result has x's dtype and backend.
 */
public final class FeatureNoise {
    /** The reference's noise scale (randn_like * 0.05 in train.py). */
    public static final double DEFAULT_STD = 0.05;

    private FeatureNoise() {}

    public static Tensor add(Tensor x, double std, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] += std * random.nextGaussian();
        var be = x.backend();
        Shape shape = x.shape();
        return be.fromDoubles(v, shape, x.dtype());
    }
}
