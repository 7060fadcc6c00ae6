package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    @Test void forwardIncludingHugeLogits() {
        double[] x = Inputs.uniform(1, 15, -3, 3);
        x[0] = 1000; x[1] = 999; // would overflow exp without max subtraction
        double[] lp = Naive.logSoftmax(x, 5, 1), want = new double[15];
        for (int i = 0; i < 15; i++) want[i] = Math.exp(lp[i]);
        ElementwiseTestSupport.assertForward(in -> Softmax.apply(in[0]), want, 1e-13, 1e-7,
                new Shape[] {Shape.of(3, 5)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Softmax.apply(in[0])).input(4, 6).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> Softmax.apply(in[0]), new Shape[] {Shape.of(16, 500)},
                new double[][] {Inputs.uniform(1, 8000, -10, 10)});
    }
}
