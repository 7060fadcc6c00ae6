package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PermuteTest {
    @Test void nchwToNhwc() {
        int n = 2, c = 3, h = 4, w = 5;
        double[] x = Inputs.uniform(1, n * c * h * w), want = new double[x.length];
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                want[((b * h + i) * w + j) * c + ch] = x[((b * c + ch) * h + i) * w + j];
        ElementwiseTestSupport.assertForward(in -> Permute.apply(in[0], 0, 2, 3, 1), want, 0, 1e-7,
                new Shape[] {Shape.of(n, c, h, w)}, x);
        ElementwiseTestSupport.assertForward(in -> Permute.apply(Permute.apply(in[0], 0, 2, 3, 1), 0, 3, 1, 2), x, 0,
                1e-7, new Shape[] {Shape.of(n, c, h, w)}, x);
    }

    @Test void shapeFollowsThePermutation() {
        var t = dev.uvgl.backend.cpu.CpuBackend.INSTANCE.zeros(Shape.of(2, 3, 4), dev.uvgl.tensor.DType.F32);
        assertEquals(Shape.of(4, 2, 3), Permute.apply(t, 2, 0, 1).shape());
        assertEquals(Shape.of(4, 2, 3), Permute.apply(t, -1, 0, 1).shape());
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Permute.apply(in[0], 2, 0, 3, 1)).input(2, 3, 2, 4).assertPasses();
        GradCheck.of(2, in -> Permute.apply(in[0], 1, 0)).input(3, 5).assertPasses();
    }
}
