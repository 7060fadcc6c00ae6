package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class MulTest {
    @Test void forward() {
        double[] a = Inputs.uniform(1, 12), g = Inputs.uniform(2, 3);
        double[] want = new double[12];
        for (int i = 0; i < 12; i++) want[i] = a[i] * g[i % 3];
        ElementwiseTestSupport.assertForward(in -> Mul.apply(in[0], in[1]), want, 0, 1e-7,
                new Shape[] {Shape.of(4, 3), Shape.of(3)}, a, g);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Mul.apply(in[0], in[1])).input(3, 4).input(3, 4).assertPasses();
        // layer scale: a per-channel gamma broadcast over NHWC
        GradCheck.of(2, in -> Mul.apply(in[0], in[1])).input(2, 2, 2, 3).input(3).assertPasses();
        GradCheck.of(3, in -> Mul.apply(in[0], in[0])).input(7).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> Mul.apply(in[0], in[1]), new Shape[] {Shape.of(6, 5), Shape.of(5)},
                new double[][] {Inputs.uniform(1, 30), Inputs.uniform(2, 5)});
    }
}
