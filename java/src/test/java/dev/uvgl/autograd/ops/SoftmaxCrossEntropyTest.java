package dev.uvgl.autograd.ops;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import dev.uvgl.testing.Naive;
import dev.uvgl.testing.PrecisionParity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {
    private static final int[] LABELS = {2, 0, 4, 4};

    @Test void forwardIsMeanNegativeLogProbabilityOfTheLabel() {
        for (double tau : new double[] {1.0, 0.05}) {
            double[] x = Inputs.uniform(1, 20);
            double[] lp = Naive.logSoftmax(x, 5, tau);
            double want = 0;
            for (int r = 0; r < 4; r++) want -= lp[r * 5 + LABELS[r]] / 4;
            ElementwiseTestSupport.assertForward(in -> SoftmaxCrossEntropy.apply(in[0], LABELS, tau),
                    new double[] {want}, 1e-12, 1e-5,
                    new Shape[] {Shape.of(4, 5)}, x);
        }
    }

    @Test void gradients() {
        GradCheck.of(1, in -> SoftmaxCrossEntropy.apply(in[0], LABELS, 1.0)).input(4, 5).assertPasses();
        // tau = 0.05 as DMNIL's memories use; logits of unit vectors' dot products stay in [-1, 1]
        GradCheck.of(2, in -> SoftmaxCrossEntropy.apply(in[0], LABELS, 0.05)).input(4, 5).assertPasses();
        // features x memory^T / tau, the cluster-memory loss, with the memory as a buffer
        GradCheck.of(3, in ->
                SoftmaxCrossEntropy.apply(Matmul.apply(L2Normalize.apply(in[0]), false, in[1], true), LABELS, 0.05))
                .input(4, 8).constant(Shape.of(5, 8), Inputs.uniform(9, 40)).assertPasses();
    }

    @Test void float32MatchesFloat64() {
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) labels[i] = (i * 37) % 700;
        PrecisionParity.assertClose(1e-5, in -> SoftmaxCrossEntropy.apply(in[0], labels, 0.05),
                new Shape[] {Shape.of(64, 700)},
                new double[][] {Inputs.uniform(1, 64 * 700)});
    }

    @Test void extremeLogitsGiveAFiniteLoss() {
        double[] x = {0, 0, 200};
        var t = CpuBackend.INSTANCE.toDType(CpuBackend.INSTANCE.fromArray(x, Shape.of(1, 3)), DType.F32);
        double loss = SoftmaxCrossEntropy.apply(t, new int[] {0}, 0.05).item();
        assertTrue(Double.isFinite(loss) && Math.abs(loss - 4000) < 1e-3, "loss " + loss);
    }

    @Test void labelOutOfRangeIsAnError() {
        var t = CpuBackend.INSTANCE.zeros(Shape.of(2, 3), DType.F32);
        var e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.apply(t, new int[] {0, 3}, 1));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }
}
