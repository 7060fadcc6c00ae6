package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class L2NormalizeTest {
    @Test void forwardGivesUnitRowsAndKeepsZeroRowsZero() {
        double[] x = Inputs.uniform(1, 12);
        for (int j = 8; j < 12; j++) x[j] = 0;
        double[] want = new double[12];
        for (int r = 0; r < 2; r++) {
            double n = 0;
            for (int j = 0; j < 4; j++) n += x[r * 4 + j] * x[r * 4 + j];
            for (int j = 0; j < 4; j++) want[r * 4 + j] = x[r * 4 + j] / Math.sqrt(n);
        }
        ElementwiseTestSupport.assertForward(in -> L2Normalize.apply(in[0]), want, 1e-15, 1e-7,
                new Shape[] {Shape.of(3, 4)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> L2Normalize.apply(in[0])).input(4, 6).assertPasses();
        GradCheck.of(2, in -> L2Normalize.apply(in[0], 1e-12)).input(Shape.of(3, 5), Inputs.uniform(5, 15, 0.5, 3))
                .assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> L2Normalize.apply(in[0]), new Shape[] {Shape.of(64, 768)},
                new double[][] {Inputs.uniform(1, 64 * 768)});
    }
}
