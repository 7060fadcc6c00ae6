package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class KlUniformTest {
    @Test void forwardIsBatchMeanKlFromUniform() {
        double[] p = Inputs.uniform(1, 12, 0.05, 1);
        double want = 0;
        for (double v : p) want += 0.25 * (Math.log(0.25) - Math.log(v));
        want /= 3;
        ElementwiseTestSupport.assertForward(in -> KlUniform.apply(in[0]), new double[] {want}, 1e-14, 1e-6,
                new Shape[] {Shape.of(3, 4)}, p);
    }

    @Test void uniformPHasZeroDivergence() {
        double[] p = new double[20];
        java.util.Arrays.fill(p, 0.2);
        ElementwiseTestSupport.assertForward(in -> KlUniform.apply(in[0]), new double[] {0}, 1e-15, 1e-7,
                new Shape[] {Shape.of(4, 5)}, p);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> KlUniform.apply(in[0])).input(Shape.of(3, 4), Inputs.uniform(2, 12, 0.1, 1))
                .assertPasses();
        // as DMNIL's consistency regulariser uses it: softmax, then p <- (p + 1e-8) / (1 + 1e-8 n)
        GradCheck.of(2,
                in -> KlUniform.apply(Scale.apply(Softmax.apply(in[0]), 1 / (1 + 1e-8 * 6), 1e-8 / (1 + 1e-8 * 6))))
                .input(4, 6).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> KlUniform.apply(Softmax.apply(in[0])), new Shape[] {Shape.of(64, 10)},
                new double[][] {Inputs.uniform(1, 640, -3, 3)});
    }
}
