package dev.uvgl.dmnil.memory;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused memory cross-entropy against its definition, its gradient, and the memory kernels beside it. */
class MemoryCrossEntropyTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final int B = 7, C = 5, D = 6;
    private static final int[] LABELS = {0, 3, 3, 1, 4, 3, 0};

    @Test void gradientMatchesFiniteDifferences() {
        var report = GradCheck.of(11, in -> MemoryCrossEntropy.apply(in[0], in[1], LABELS, 0.5))
                .input(B, D).constant(Shape.of(C, D), Inputs.uniform(5, C * D)).run();
        assertTrue(report.failures().isEmpty(), report.toString());
    }

    @Test void lossEqualsDefinitionInDouble() {
        double tau = 0.05;
        double[] x = Inputs.uniform(1, B * D), m = Inputs.uniform(2, C * D);
        Tensor loss = MemoryCrossEntropy.apply(CPU.fromArray(toFloat(x), Shape.of(B, D)),
                CPU.fromArray(toFloat(m), Shape.of(C, D)), LABELS, tau);
        double expect = 0;
        for (int i = 0; i < B; i++) {
            double[] z = new double[C];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < D; j++) z[c] += (double) (float) x[i * D + j] * (float) m[c * D + j];
                z[c] /= tau;
                max = Math.max(max, z[c]);
            }
            for (int c = 0; c < C; c++) sum += Math.exp(z[c] - max);
            expect += max + Math.log(sum) - z[LABELS[i]];
        }
        expect /= B;
        assertEquals(expect, loss.item(), 1e-5 * Math.abs(expect));
    }

    @Test void momentumUpdateIsTheSequentialLoopWithRepeats() {
        double[] m = Inputs.uniform(3, C * D), x = Inputs.uniform(4, B * D);
        Tensor mem = CPU.fromArray(m, Shape.of(C, D));
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(mem, LABELS, CPU.fromArray(x, Shape.of(B, D)), 0.2);
        double[] ref = m.clone();
        for (int i = 0; i < B; i++) {
            int r = LABELS[i];
            double sq = 0;
            for (int j = 0; j < D; j++) {
                ref[r * D + j] = 0.2 * ref[r * D + j] + 0.8 * x[i * D + j];
                sq += ref[r * D + j] * ref[r * D + j];
            }
            for (int j = 0; j < D; j++) ref[r * D + j] /= Math.sqrt(sq);
        }
        // float64: bit-for-bit the loop above (dmnil.md section 9).
        double[] got = mem.toDoubleArray();
        for (int i = 0; i < got.length; i++) assertEquals(ref[i], got[i], 0.0, "element " + i);
        // Changing the batch order of a repeated label changes the result: order is honoured, not averaged.
        int[] swapped = LABELS.clone();
        Tensor mem2 = CPU.fromArray(m, Shape.of(C, D));
        double[] x2 = x.clone();
        for (int j = 0; j < D; j++) { x2[1 * D + j] = x[2 * D + j]; x2[2 * D + j] = x[1 * D + j]; }
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(mem2, swapped, CPU.fromArray(x2, Shape.of(B, D)), 0.2);
        assertTrue(Inputs.maxAbsDiff(mem2.toDoubleArray(), got) > 1e-6);
    }

    @Test void dhmlBanksGatherFirstAndLetTheLastRepeatWin() {
        double[] st = Inputs.uniform(6, C * D), lt = Inputs.uniform(7, C * D), x = Inputs.uniform(8, B * D);
        Tensor tst = CPU.fromArray(st, Shape.of(C, D)), tlt = CPU.fromArray(lt, Shape.of(C, D));
        double alpha = BackendMemoryOps.of(CPU).dhmlBanksUpdateInPlace(tst, tlt, LABELS,
                CPU.fromArray(x, Shape.of(B, D)), 0.2, 0.7).getAsDouble();
        double[] st2 = st.clone(), lt2 = lt.clone();
        for (int i = 0; i < B; i++)
            for (int j = 0; j < D; j++) st2[LABELS[i] * D + j] = 0.2 * x[i * D + j] + 0.7 * st[LABELS[i] * D + j];
        double dist = 0;
        for (int i = 0; i < B; i++) {
            double sq = 0;
            for (int j = 0; j < D; j++) { double e = x[i * D + j] - st2[LABELS[i] * D + j]; sq += e * e; }
            dist += Math.sqrt(sq);
        }
        double a = 1 / (1 + Math.exp(-dist / B));
        for (int i = 0; i < B; i++)
            for (int j = 0; j < D; j++)
                lt2[LABELS[i] * D + j] = a * st2[LABELS[i] * D + j] + (1 - a) * lt[LABELS[i] * D + j];
        assertEquals(a, alpha, 1e-15);
        assertTrue(Inputs.maxAbsDiff(st2, tst.toDoubleArray()) < 1e-15);
        assertTrue(Inputs.maxAbsDiff(lt2, tlt.toDoubleArray()) < 1e-15);
    }

    /**
     * The reference's autograd.Function: the forward-time softmax gradient times the memory as it is at backward
     * time. A row moved between forward and backward changes the product, never the softmax, so the gradient
     * stays bounded by 2 max|M| / tau per row however far the row moved.
     */
    @Test void backwardMultipliesTheForwardSoftmaxByTheMovedMemoryThenRunsTheHook() {
        double[] x = Inputs.uniform(9, B * D), m = Inputs.uniform(10, C * D);
        Tensor tx = CPU.fromArray(x, Shape.of(B, D)).requiresGrad(true);
        Tensor mem = CPU.fromArray(m, Shape.of(C, D)), atForward = CPU.copy(mem);
        int[] calls = {0};
        Tensor loss = MemoryCrossEntropy.apply(tx, mem, LABELS, 0.1, () -> atForward, () -> calls[0]++);
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(mem, new int[] {2},
                CPU.fromArray(Inputs.uniform(12, D), Shape.of(1, D)), 0.0);
        loss.backward();
        assertEquals(1, calls[0]);
        Tensor xs = CPU.fromArray(x, Shape.of(B, D)), original = CPU.fromArray(m, Shape.of(C, D));
        Tensor expect = BackendMemoryOps.of(CPU).memoryCrossEntropyBackward(xs, original, mem, LABELS, 0.1,
                BackendMemoryOps.of(CPU).memoryCrossEntropy(xs, original, LABELS, 0.1)[1],
                CPU.full(Shape.of(), dev.uvgl.tensor.DType.F64, 1));
        assertTrue(Inputs.maxAbsDiff(expect.toDoubleArray(), tx.grad().toDoubleArray()) < 1e-14);
        // Written out: (softmax(x original^T / tau) - onehot) moved / (B tau).
        double[] want = new double[B * D], moved = mem.toDoubleArray();
        for (int i = 0; i < B; i++) {
            double[] z = new double[C];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < C; j++) {
                for (int k = 0; k < D; k++) z[j] += x[i * D + k] * m[j * D + k] / 0.1;
                max = Math.max(max, z[j]);
            }
            for (int j = 0; j < C; j++) sum += Math.exp(z[j] - max);
            for (int j = 0; j < C; j++) {
                double p = Math.exp(z[j] - max) / sum - (j == LABELS[i] ? 1 : 0);
                for (int k = 0; k < D; k++) want[i * D + k] += p * moved[j * D + k] / (B * 0.1);
            }
        }
        assertTrue(Inputs.maxAbsDiff(want, tx.grad().toDoubleArray()) < 1e-12);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
