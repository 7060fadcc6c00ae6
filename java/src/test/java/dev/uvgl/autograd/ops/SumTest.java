package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SumTest {
    @Test void allAndAlongAnAxis() {
        double[] x = Inputs.uniform(1, 24);
        double all = 0;
        double[] axis1 = new double[8];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) {
            all += x[(a * 3 + b) * 4 + c];
            axis1[a * 4 + c] += x[(a * 3 + b) * 4 + c];
        }
        Shape[] s = {Shape.of(2, 3, 4)};
        ElementwiseTestSupport.assertForward(in -> Sum.apply(in[0]), new double[] {all}, 1e-14, 1e-5, s, x);
        ElementwiseTestSupport.assertForward(in -> Sum.apply(in[0], 1, false), axis1, 1e-14, 1e-6, s, x);
        ElementwiseTestSupport.assertForward(in -> Mean.apply(in[0]), new double[] {all / 24}, 1e-14, 1e-6, s, x);
        var t = dev.uvgl.backend.cpu.CpuBackend.INSTANCE.fromArray(x, s[0]);
        assertEquals(Shape.of(2, 1, 4), Sum.apply(t, 1, true).shape());
        assertEquals(Shape.of(2, 3), Mean.apply(t, -1, false).shape());
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Sum.apply(in[0])).input(3, 4).assertPasses();
        GradCheck.of(2, in -> Sum.apply(in[0], 0, false)).input(3, 4).assertPasses();
        GradCheck.of(3, in -> Sum.apply(in[0], 1, true)).input(2, 3, 4).assertPasses();
        GradCheck.of(4, in -> Mean.apply(in[0], -1, false)).input(2, 3, 4).assertPasses();
        GradCheck.of(5, in -> Mean.apply(in[0])).input(5).assertPasses();
    }
}
