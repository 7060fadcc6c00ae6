package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

class GlobalAvgPoolTest {
    @Test void forward() {
        int n = 2, h = 3, w = 4, c = 5;
        double[] x = Inputs.uniform(1, n * h * w * c), want = new double[n * c];
        for (int b = 0; b < n; b++)
            for (int p = 0; p < h * w; p++)
                for (int ch = 0; ch < c; ch++) want[b * c + ch] += x[(b * h * w + p) * c + ch] / (h * w);
        ElementwiseTestSupport.assertForward(in -> GlobalAvgPool.apply(in[0]), want, 1e-15, 1e-6,
                new Shape[] {Shape.of(n, h, w, c)}, x);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> GlobalAvgPool.apply(in[0])).input(2, 3, 2, 4).assertPasses();
    }
}
