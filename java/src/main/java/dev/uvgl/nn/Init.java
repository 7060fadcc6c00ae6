package dev.uvgl.nn;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** Parameter initialisers drawing from a caller's seeded generator, so a seed fixes the whole network. */
public final class Init {
    private Init() {}

    /**
     * timm's trunc_normal_(std): a normal of mean 0 redrawn outside the absolute bounds [-2, 2], as
     * timm's defaults a=-2, b=2 are absolute (with std .02 they almost never bite).
     */
    public static Tensor truncNormal(Backend be, Shape shape, DType dtype, double std, Random rng) {
        double[] v = new double[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            double d;
            do { d = rng.nextGaussian() * std; } while (d < -2 || d > 2);
            v[i] = d;
        }
        return be.fromDoubles(v, shape, dtype);
    }

    public static Tensor constant(Backend be, Shape shape, DType dtype, double value) {
        return be.full(shape, dtype, value);
    }
}
