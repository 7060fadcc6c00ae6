package dev.uvgl.dmnil.loss;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.dmnil.loss.ConsistencyRegulariser.Form;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.uvgl.dmnil.loss.NeighbourData.relError;
import static dev.uvgl.dmnil.loss.NeighbourData.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistencyRegulariserTest {
    private static final int B = 5, N = 30, D = 6, K = 4;

    private final double[] memory = NeighbourData.clustered(21, N, D, 4, 0.6);
    private final int[] idx = {3, 3, 11, 20, 29};
    private final double[] queries = NeighbourData.rows(memory, D, idx);
    private final double[] features = NeighbourData.perturbed(22, queries, D, 0.7);
    private final int[] top = ConsistencyRegulariser.topIndices(tensor(queries, DType.F64, B, D),
            tensor(memory, DType.F64, N, D), K);

    @Test void topIndicesAreEachRowsLargestFirstWithTiesToTheLowerIndex() {
        // Row 0 scores memory rows 0..4 as 0.5, 0.9, 0.5, 0.9, 0.1: top 3 = 1, 3, 0.
        double[] m = {0.5, 0.9, 0.5, 0.9, 0.1};
        int[] got = ConsistencyRegulariser.topIndices(tensor(new double[] {1}, DType.F64, 1, 1),
                tensor(m, DType.F64, 5, 1), 3);
        assertArrayEquals(new int[] {1, 3, 0}, got);
        double[] s = PlainNeighbour.sim(queries, B, memory, N, D);
        for (int a = 0; a < B; a++) {
            Integer[] order = new Integer[N];
            for (int j = 0; j < N; j++) order[j] = j;
            final int row = a;
            Arrays.sort(order, (i, j) -> s[row * N + i] != s[row * N + j]
                    ? Double.compare(s[row * N + j], s[row * N + i]) : Integer.compare(i, j));
            for (int t = 0; t < K; t++) assertEquals((int) order[t], top[a * K + t], "row " + a + " rank " + t);
        }
    }

    @Test void bothFormsEqualThePlainFormulaInBothPrecisions() {
        for (Form form : Form.values()) {
            double[] want = PlainNeighbour.regulariser(features, memory, top, K, form == Form.REFERENCE, B, N, D);
            for (DType t : DType.values()) {
                Tensor x = tensor(features, t, B, D).requiresGrad(true);
                Tensor loss = ConsistencyRegulariser.apply(x, tensor(memory, t, N, D), top, K, form);
                double tol = t == DType.F64 ? 1e-12 : 1e-5;
                assertEquals(want[0], loss.item(), tol * Math.abs(want[0]), form + " " + t + " value");
                loss.backward();
                double err = relError(x.grad().toDoubleArray(), Arrays.copyOfRange(want, 1, want.length));
                assertTrue(err < tol, form + " " + t + " gradient error " + err);
            }
        }
    }

    /**
     * The forms differ, and each equals a hand evaluation: for B = 2, k = 2 and sim rows (0, 1, 2) and
     * (3, 5, 4), with indices {(2, 1), (0, 2)}:
     * PER_ROW groups row 0 at columns 2, 1 and row 1 at 0, 2; REFERENCE groups (a, t) over b: row a at
     * columns idx[0][t], idx[1][t].
     */
    @Test void formsGroupTheEntriesAsSpecified() {
        double[] sim = {0, 1, 2, 3, 5, 4};
        // features = sim rows and memory = identity make x . M^T = sim exactly.
        double[] eye = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        int[] indices = {2, 1, 0, 2};
        double perRow = (kl(new double[] {2, 1}) + kl(new double[] {3, 4})) / 2;
        double reference = (kl(new double[] {2, 0}) + kl(new double[] {1, 2}) + kl(new double[] {4, 3})
                + kl(new double[] {5, 4})) / 2;
        Tensor x = tensor(sim, DType.F64, 2, 3), m = tensor(eye, DType.F64, 3, 3);
        assertEquals(perRow, ConsistencyRegulariser.apply(x, m, indices, 2, Form.PER_ROW).item(), 1e-14);
        assertEquals(reference, ConsistencyRegulariser.apply(x, m, indices, 2, Form.REFERENCE).item(), 1e-14);
        assertTrue(Math.abs(perRow - reference) > 1e-3);
    }

    /** sum_m u (log u - log p~_m) over one softmax group. */
    private static double kl(double[] logits) {
        int n = logits.length;
        double max = Arrays.stream(logits).max().orElseThrow(), sum = 0;
        for (double v : logits) sum += Math.exp(v - max);
        double total = 0;
        for (double v : logits) {
            double p = Math.exp(v - max) / sum, smoothed = (p + 1e-8) / (1 + 1e-8 * n);
            total += (Math.log(1.0 / n) - Math.log(smoothed)) / n;
        }
        return total;
    }

    @Test void finiteDifferencesAgreeInBothForms() {
        for (Form form : Form.values())
            GradCheck.of(31, in -> ConsistencyRegulariser.apply(L2Normalize.apply(in[0]), in[1], top, K, form))
                    .input(Shape.of(B, D), features).constant(Shape.of(N, D), memory).assertPasses();
    }

    @Test void backwardReadsTheMemoryAsItIsAtBackwardTime() {
        for (Form form : Form.values()) {
            Tensor m = tensor(memory, DType.F64, N, D);
            Tensor x = tensor(features, DType.F64, B, D).requiresGrad(true);
            Tensor loss = ConsistencyRegulariser.apply(x, m, top, K, form);
            CpuBackend.INSTANCE.addInPlace(m, tensor(NeighbourData.clustered(23, N, D, 2, 1.0), DType.F64, N, D));
            double[] moved = m.toDoubleArray();
            loss.backward();
            // The gradient w.r.t. sim comes from the old memory; the product with the moved one.
            double[] gSimTimesOld = PlainNeighbour.regulariser(features, memory, top, K,
                    form == Form.REFERENCE, B, N, D);
            double[] gSim = simGradient(form);
            double[] want = new double[B * D];
            for (int i = 0; i < B; i++)
                for (int j = 0; j < N; j++)
                    for (int e = 0; e < D; e++) want[i * D + e] += gSim[i * N + j] * moved[j * D + e];
            double[] got = x.grad().toDoubleArray();
            assertTrue(relError(got, want) < 1e-12, form + " error " + relError(got, want));
            assertTrue(relError(Arrays.copyOfRange(gSimTimesOld, 1, gSimTimesOld.length), want) > 0.1,
                    "the moved memory must matter");
        }
    }

    /** d value / d sim, read off the plain formula with the identity as memory (then x . M^T = x). */
    private double[] simGradient(Form form) {
        double[] s = PlainNeighbour.sim(features, B, memory, N, D);
        double[] eye = new double[N * N];
        for (int j = 0; j < N; j++) eye[j * N + j] = 1;
        double[] r = PlainNeighbour.regulariser(s, eye, top, K, form == Form.REFERENCE, B, N, N);
        return Arrays.copyOfRange(r, 1, r.length);
    }
}
