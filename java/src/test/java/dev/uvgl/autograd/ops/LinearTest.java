package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class LinearTest {
    @Test void forwardIsXWTransposedPlusBias() {
        double[] x = Inputs.uniform(1, 2 * 3 * 4), w = Inputs.uniform(2, 5 * 4), b = Inputs.uniform(3, 5);
        double[] want = Naive.matmul(x, Naive.transpose(w, 5, 4), 6, 4, 5);
        for (int i = 0; i < want.length; i++) want[i] += b[i % 5];
        ElementwiseTestSupport.assertForward(in -> Linear.apply(in[0], in[1], in[2]), want, 1e-14, 1e-6,
                new Shape[] {Shape.of(2, 3, 4), Shape.of(5, 4), Shape.of(5)}, x, w, b);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Linear.apply(in[0], in[1], in[2])).input(2, 3, 4).input(5, 4).input(5).assertPasses();
        GradCheck.of(2, in -> Linear.apply(in[0], in[1], null)).input(3, 6).input(2, 6).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-5, in -> Linear.apply(in[0], in[1], in[2]),
                new Shape[] {Shape.of(2, 4, 4, 96), Shape.of(384, 96), Shape.of(384)},
                new double[][] {Inputs.uniform(1, 2 * 16 * 96), Inputs.uniform(2, 384 * 96), Inputs.uniform(3, 384)});
    }
}
