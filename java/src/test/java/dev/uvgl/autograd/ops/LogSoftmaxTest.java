package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class LogSoftmaxTest {
    @Test void forwardIncludingHugeLogits() {
        double[] x = Inputs.uniform(1, 15, -3, 3);
        x[3] = -1000; x[4] = 1000;
        ElementwiseTestSupport.assertForward(in -> LogSoftmax.apply(in[0]), Naive.logSoftmax(x, 5, 1), 1e-12, 1e-4,
                new Shape[] {Shape.of(3, 5)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> LogSoftmax.apply(in[0])).input(4, 6).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> LogSoftmax.apply(in[0]), new Shape[] {Shape.of(16, 500)},
                new double[][] {Inputs.uniform(1, 8000, -10, 10)});
    }
}
