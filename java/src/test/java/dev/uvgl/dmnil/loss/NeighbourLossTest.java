package dev.uvgl.dmnil.loss;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static dev.uvgl.dmnil.loss.NeighbourData.relError;
import static dev.uvgl.dmnil.loss.NeighbourData.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourLossTest {
    private static final int B = 6, N = 40, D = 8;
    private static final double TAU = 0.05, CLAMP = 1e-8;

    private final double[] memory = NeighbourData.clustered(3, N, D, 5, 0.5);
    private final int[] idx = {0, 7, 7, 19, 25, 39};
    private final NeighbourMask mask = NeighbourMask.of(tensor(NeighbourData.rows(memory, D, idx), DType.F64, B, D),
            tensor(memory, DType.F64, N, D),
            tensor(NeighbourData.rows(memory, D, idx), DType.F64, B, D),
            tensor(NeighbourData.perturbed(4, memory, D, 0.3), DType.F64, N, D), 0.9);
    /** Unit rows near the queried memory rows, as a trained embedding would be. */
    private final double[] features = NeighbourData.unitRows(
            NeighbourData.perturbed(5, NeighbourData.rows(memory, D, idx), D, 0.6), D);

    @Test void valueAndGradientEqualThePlainFormulaInBothPrecisions() {
        boolean[][] dense = PlainNeighbour.dense(mask);
        double want = PlainNeighbour.loss(features, memory, dense, B, N, D, TAU, CLAMP);
        double[] wantGrad = PlainNeighbour.grad(features, memory, memory, dense, B, N, D, TAU, CLAMP);
        for (DType t : DType.values()) {
            Tensor x = tensor(features, t, B, D).requiresGrad(true);
            Tensor loss = NeighbourLoss.apply(x, tensor(memory, t, N, D), mask, TAU);
            assertEquals(t, loss.dtype());
            assertEquals(Shape.of(), loss.shape());
            double tol = t == DType.F64 ? 1e-12 : 1e-5;
            assertEquals(want, loss.item(), tol * Math.abs(want), t + " value");
            loss.backward();
            double err = relError(x.grad().toDoubleArray(), wantGrad);
            assertTrue(err < tol, t + " gradient relative error " + err);
        }
    }

    @Test void finiteDifferencesAgreeThroughTheNormalisation() {
        GradCheck.of(11, in -> NeighbourLoss.apply(L2Normalize.apply(in[0]), in[1], mask, TAU))
                .input(Shape.of(B, D), NeighbourData.perturbed(6, features, D, 0.5))
                .constant(Shape.of(N, D), memory).assertPasses();
        // a mild temperature spreads the softmax, so every column's gradient matters
        GradCheck.of(12, in -> NeighbourLoss.apply(in[0], in[1], mask, 1.0)).input(B, D)
                .constant(Shape.of(N, D), memory).assertPasses();
    }

    /** The reference updates the memory in place after the forward: the gradient must use the new rows. */
    @Test void backwardReadsTheMemoryAsItIsAtBackwardTime() {
        boolean[][] dense = PlainNeighbour.dense(mask);
        for (DType t : DType.values()) {
            Tensor m = tensor(memory, t, N, D);
            Tensor x = tensor(features, t, B, D).requiresGrad(true);
            Tensor loss = NeighbourLoss.apply(x, m, mask, TAU);
            double[] delta = NeighbourData.clustered(9, N, D, 3, 1.0);
            CpuBackend.INSTANCE.addInPlace(m, tensor(delta, t, N, D));
            double[] moved = m.toDoubleArray();
            loss.backward();
            double[] got = x.grad().toDoubleArray();
            double[] want = PlainNeighbour.grad(features, memory, moved, dense, B, N, D, TAU, CLAMP);
            double[] forwardTime = PlainNeighbour.grad(features, memory, memory, dense, B, N, D, TAU, CLAMP);
            double tol = t == DType.F64 ? 1e-12 : 1e-5;
            assertTrue(relError(got, want) < tol, t + " gradient with the moved memory, error " + relError(got, want));
            assertTrue(relError(forwardTime, want) > 0.1,
                    "the moved memory must change the gradient for this test to mean anything");
        }
    }

    @Test void aCopyOfTheMemoryGivesTheForwardTimeGradient() {
        Tensor m = tensor(memory, DType.F64, N, D);
        Tensor x = tensor(features, DType.F64, B, D).requiresGrad(true);
        Tensor loss = NeighbourLoss.apply(x, CpuBackend.INSTANCE.copy(m), mask, TAU);
        CpuBackend.INSTANCE.addInPlace(m, tensor(NeighbourData.clustered(9, N, D, 3, 1.0), DType.F64, N, D));
        loss.backward();
        double[] want = PlainNeighbour.grad(features, memory, memory, PlainNeighbour.dense(mask), B, N, D, TAU, CLAMP);
        assertTrue(relError(x.grad().toDoubleArray(), want) < 1e-12);
    }

    /**
     * Row 0 = (0.6, 0.8) has as neighbours the column (1, 0) (p about 0.018) and the column pointing
     * away (p about e^-28, below 1e-8): the far one adds -log(1e-8) / 3 to the loss and nothing to the
     * gradient. Row 1 = (1, 0) has only a far neighbour: its whole gradient vanishes.
     */
    @Test void clampedProbabilitiesCountAsConstants() {
        int n = 4, d = 2, b = 2;
        double[] m = {1, 0, 0, 1, -1, 0, 0, -1};
        double[] x = {0.6, 0.8, 1, 0};
        NeighbourMask handMask = new NeighbourMask(n, new int[][] {{0, 2}, {2}});
        boolean[][] dense = PlainNeighbour.dense(handMask);
        double[] s = PlainNeighbour.softmaxRow(PlainNeighbour.sim(x, b, m, n, d), 0, n, 1 / TAU);
        assertTrue(s[2] < 1e-8 && s[0] > 1e-3, "the case needs one clamped and one open neighbour");
        double want = PlainNeighbour.loss(x, m, dense, b, n, d, TAU, CLAMP);
        double row0 = (-Math.log(s[0]) - Math.log(1e-8)) / 3, row1 = -Math.log(1e-8) / 2;
        assertEquals((row0 + row1) / 2, want, 1e-12, "the plain formula itself");
        double[] wantGrad = PlainNeighbour.grad(x, m, m, dense, b, n, d, TAU, CLAMP);
        for (DType t : DType.values()) {
            Tensor xt = tensor(x, t, b, d).requiresGrad(true);
            Tensor loss = NeighbourLoss.apply(xt, tensor(m, t, n, d), handMask, TAU);
            assertEquals(want, loss.item(), 1e-5 * want);
            loss.backward();
            double[] g = xt.grad().toDoubleArray();
            assertEquals(0.0, g[2], 0.0, "row 1 only has a clamped neighbour");
            assertEquals(0.0, g[3], 0.0);
            assertTrue(relError(g, wantGrad) < 1e-5, t + " gradient error " + relError(g, wantGrad));
        }
        // Without the clamp both rows' gradients would differ: the clamp is what the test sees.
        assertTrue(relError(PlainNeighbour.grad(x, m, m, dense, b, n, d, TAU, 0), wantGrad) > 0.1);
    }
}
