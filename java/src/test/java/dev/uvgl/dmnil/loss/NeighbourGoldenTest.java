package dev.uvgl.dmnil.loss;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.dmnil.loss.ConsistencyRegulariser.Form;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.uvgl.dmnil.loss.DmnilFixtures.ints;
import static dev.uvgl.dmnil.loss.DmnilFixtures.scalar;
import static dev.uvgl.dmnil.loss.DmnilFixtures.tensor;
import static dev.uvgl.dmnil.loss.DmnilFixtures.values;
import static dev.uvgl.dmnil.loss.NeighbourData.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The neighbour losses and the regulariser against the authors' formulas (fixtures/dmnil, made by
 * make_dmnil_fixtures.py with PyTorch), in float32, to 1e-5 relative: values, masks, top-k lists,
 * and gradients with the instance memory moved in place between forward and backward as the
 * reference does (and, separately, with the forward-time memory).
 */
class NeighbourGoldenTest {
    private static final double TAU = 0.05, TOL = 1e-5;
    private static final DType T = DType.F32;

    /** Rows idx of a stored memory, as a tensor: the batch's no-grad query rows IM[idx]. */
    private static Tensor rowsOf(String memory, int[] idx) {
        int d = DmnilFixtures.floats(memory).shape()[1];
        return NeighbourData.tensor(NeighbourData.rows(values(memory), d, idx), T, idx.length, d);
    }

    private static void assertMask(String fixture, NeighbourMask mask) {
        double[] want = values(fixture);
        int n = mask.columns();
        for (int i = 0; i < mask.rows(); i++) {
            double[] row = new double[n];
            for (int j : mask.neighbours(i)) row[j] = 1;
            assertArrayEquals(java.util.Arrays.copyOfRange(want, i * n, (i + 1) * n), row, 0.0, fixture + " row " + i);
        }
    }

    /**
     * Runs term(normalize(f)) on a fresh copy of `memory`, moves that copy to `after` in place when given,
     * backpropagates; checks the value against `value` and d/df against `grad`.
     */
    private static void check(String f, String memory, String after, Function<Tensor[], Tensor> term, String value,
            String grad) {
        Tensor x = tensor(f, T).requiresGrad(true);
        Tensor m = tensor(memory, T);
        Tensor loss = term.apply(new Tensor[] {L2Normalize.apply(x), m});
        double want = scalar(value);
        assertEquals(want, loss.item(), TOL * Math.abs(want), value);
        if (after != null) {
            var be = CpuBackend.INSTANCE;
            be.addInPlace(m, be.add(tensor(after, T), be.affine(m, -1, 0)));
            assertTrue(relError(m.toDoubleArray(), values(after)) < 1e-6);
        }
        loss.backward();
        double err = relError(x.grad().toDoubleArray(), values(grad));
        assertTrue(err < TOL, grad + ": relative error " + err);
    }

    @Test void intraView() {
        int[] idx = ints("intra_idx");
        NeighbourMask mask = NeighbourMask.of(rowsOf("intra_im", idx), tensor("intra_im", T), rowsOf("intra_im_s", idx),
                tensor("intra_im_s", T), 0.9);
        assertMask("intra_mask", mask);
        Function<Tensor[], Tensor> loss = in -> NeighbourLoss.apply(in[0], in[1], mask, TAU);
        check("intra_f", "intra_im", "intra_im_after", loss, "intra_loss_main", "intra_grad_main");
        check("intra_f", "intra_im_s", "intra_im_s_after", loss, "intra_loss_s", "intra_grad_s");
        check("intra_f", "intra_im", null, loss, "intra_loss_main", "intra_grad_main_forward");
        check("intra_f", "intra_im_s", null, loss, "intra_loss_s", "intra_grad_s_forward");
    }

    @Test void crossViewWithRegulariser() {
        int[] idx = ints("cross_idx_sat");
        NeighbourMask mask = NeighbourMask.of(rowsOf("cross_im_sat", idx), tensor("cross_im_dro", T),
                rowsOf("cross_im_sat_s", idx), tensor("cross_im_dro_s", T), 0.9);
        assertMask("cross_mask", mask);
        int k = ConsistencyRegulariser.DEFAULT_K;
        int[] top = ConsistencyRegulariser.topIndices(rowsOf("cross_im_sat", idx), tensor("cross_im_dro", T), k);
        assertArrayEquals(ints("cross_topk"), top);
        Function<Tensor[], Tensor> loss = in -> NeighbourLoss.apply(in[0], in[1], mask, TAU);
        check("cross_f_sat", "cross_im_dro", "cross_im_dro_after", loss, "cross_loss_main", "cross_grad_main");
        check("cross_f_sat", "cross_im_dro_s", "cross_im_dro_s_after", loss, "cross_loss_s", "cross_grad_s");
        check("cross_f_sat", "cross_im_dro", null, loss, "cross_loss_main", "cross_grad_main_forward");
        check("cross_f_sat", "cross_im_dro", "cross_im_dro_after",
                in -> ConsistencyRegulariser.apply(in[0], in[1], top, k, Form.REFERENCE),
                "cross_kl_reference", "cross_grad_kl_reference");
        check("cross_f_sat", "cross_im_dro", null,
                in -> ConsistencyRegulariser.apply(in[0], in[1], top, k, Form.REFERENCE),
                "cross_kl_reference", "cross_grad_kl_reference_forward");
        check("cross_f_sat", "cross_im_dro", "cross_im_dro_after",
                in -> ConsistencyRegulariser.apply(in[0], in[1], top, k, Form.PER_ROW),
                "cross_kl_per_row", "cross_grad_kl_per_row");
    }
}
