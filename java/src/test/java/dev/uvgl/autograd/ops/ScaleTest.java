package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test void forward() {
        double[] x = Inputs.uniform(1, 10), want = new double[10];
        for (int i = 0; i < 10; i++) want[i] = -20 * x[i] + 0.5;
        ElementwiseTestSupport.assertForward(in -> Scale.apply(in[0], -20, 0.5), want, 1e-15, 1e-5,
                new Shape[] {Shape.of(10)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Scale.apply(in[0], 1 / 0.05)).input(3, 4).assertPasses();
        GradCheck.of(2, in -> Scale.apply(in[0], -0.3, 2.0)).input(5).assertPasses();
    }
}
