package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

class AddTest {
    @Test void sameShapeAndBroadcastForward() {
        double[] a = Inputs.uniform(1, 24), b = Inputs.uniform(2, 24), bias = Inputs.uniform(3, 4);
        double[] want = new double[24], wantB = new double[24];
        for (int i = 0; i < 24; i++) { want[i] = a[i] + b[i]; wantB[i] = a[i] + bias[i % 4]; }
        ElementwiseTestSupport.assertForward(in -> Add.apply(in[0], in[1]), want, 0, 1e-7,
                new Shape[] {Shape.of(2, 3, 4), Shape.of(2, 3, 4)}, a, b);
        ElementwiseTestSupport.assertForward(in -> Add.apply(in[0], in[1]), wantB, 0, 1e-7,
                new Shape[] {Shape.of(2, 3, 4), Shape.of(4)}, a, bias);
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Add.apply(in[0], in[1])).input(2, 3, 4).input(2, 3, 4).assertPasses();
        GradCheck.of(2, in -> Add.apply(in[0], in[1])).input(2, 3, 4).input(3, 4).assertPasses();
        // the residual: one tensor feeding both sides
        GradCheck.of(3, in -> Add.apply(in[0], Mul.apply(in[0], in[1]))).input(2, 5).input(5).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        PrecisionParity.assertClose(1e-6, in -> Add.apply(in[0], in[1]), new Shape[] {Shape.of(6, 5), Shape.of(5)},
                new double[][] {Inputs.uniform(1, 30), Inputs.uniform(2, 5)});
    }

    @Test void badBroadcastNamesBothShapes() {
        var be = dev.uvgl.backend.cpu.CpuBackend.INSTANCE;
        var e = assertThrows(IllegalArgumentException.class, () -> Add.apply(
                be.zeros(Shape.of(2, 3), dev.uvgl.tensor.DType.F32), be.zeros(Shape.of(2), dev.uvgl.tensor.DType.F32)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
    }
}
