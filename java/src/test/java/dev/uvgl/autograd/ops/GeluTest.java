package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

class GeluTest {
    @Test void knownValues() {
        // x * Phi(x) from Python's math.erf: 0.5 * x * (1 + erf(x / sqrt 2))
        double[] x = {-3, -1, -0.5, 0, 0.5, 1, 2, 6};
        double[] want = {-0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0, 0.34573123063700656,
                0.8413447460685429, 1.9544997361036416, 5.999999994080474};
        ElementwiseTestSupport.assertForward(in -> Gelu.apply(in[0]), want, 1e-14, 2e-6, new Shape[] {Shape.of(8)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Gelu.apply(in[0])).input(Shape.of(40), Inputs.uniform(3, 40, -5, 5)).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> Gelu.apply(in[0]), new Shape[] {Shape.of(1000)},
                new double[][] {Inputs.uniform(1, 1000, -8, 8)});
    }
}
