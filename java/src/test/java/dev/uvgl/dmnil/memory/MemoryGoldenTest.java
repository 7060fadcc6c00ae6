package dev.uvgl.dmnil.memory;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.dmnil.DmnilConfig;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.uvgl.dmnil.loss.DmnilFixtures.ints;
import static dev.uvgl.dmnil.loss.DmnilFixtures.relError;
import static dev.uvgl.dmnil.loss.DmnilFixtures.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memories against fixtures from the authors' formulas (java/src/test/python/make_dmnil_fixtures.py,
 * re-stating DMNIL's cluster_model.py and trainers.py on the CPU): loss values, input gradients and the
 * memories after their updates, error max|got - want| / max|want|: < 1e-5 in float32 (dmnil.md section 9)
 * and < 1e-7 in float64, every label repeated in the batch. One float32 exception, stated: the DHML
 * gradient (3e-5, measured 1.9e-5). Its gradient before the normalisation is nearly parallel to the
 * features, so the normalisation's backward cancels most of it and float32 rounding of the pre-projection
 * gradient (|g| ~ 1/tau) shows at 2e-5 of the small remainder; float64 agrees to the fixtures' own float32
 * rounding (1e-7), so the formula is exact.
 */
class MemoryGoldenTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final double BOUND = 1e-5;

    @Test void clusterMemoryLossGradientAndOrderedUpdates() {
        for (DType t : DType.values())
            for (double m : new double[] {0.2, 0.1}) {
                Tensor f = matrix("cm_f", 16, t).requiresGrad(true);
                ClusterMemory cm = new ClusterMemory(matrix("cm_memory", 8, t), m);
                Tensor loss = cm.loss(L2Normalize.apply(f), ints("cm_labels"), 0.05, false);
                check("cm_loss", loss, bound(t));
                loss.backward();
                check("cm_grad", f.grad(), bound(t));
                check(m == 0.2 ? "cm_memory_after_m0.2" : "cm_memory_after_m0.1", cm.rows(), bound(t));
            }
    }

    @Test void dhmlTwoStepsFromZeroBanks() {
        DmnilConfig cfg = new DmnilConfig();
        for (DType t : DType.values()) {
            DhmlMemory dhml = new DhmlMemory(new ClusterMemory(matrix("dhml_memory", 8, t), 0.2));
            for (int step = 1; step <= 2; step++) {
                Tensor f = matrix("dhml_f_step" + step, 16, t).requiresGrad(true);
                Tensor loss = dhml.loss(L2Normalize.apply(f), ints("dhml_labels_step" + step), cfg);
                check("dhml_loss_step" + step, loss, bound(t));
                check("dhml_alpha_step" + step, CPU.fromArray(new double[] {dhml.lastAlpha()}, Shape.of(1)), bound(t));
                check("dhml_st_step" + step, dhml.shortTerm(), bound(t));
                check("dhml_lt_step" + step, dhml.longTerm(), bound(t));
                loss.backward();
                check("dhml_grad_step" + step, f.grad(), t == DType.F32 ? 3e-5 : bound(t));
                check("dhml_memory_after_step" + step, dhml.cluster().rows(), bound(t));
            }
        }
    }

    @Test void instanceMemoryUpdatesInBatchOrderWithRawFeatures() {
        for (DType t : DType.values()) {
            InstanceMemory im = new InstanceMemory(matrix("im_memory", 40, t), new int[40]);
            im.update(ints("im_idx"), matrix("im_f", 16, t), 0.9);
            check("im_memory_after", im.rows(), bound(t));
        }
    }

    /**
     * Two terms on one shared memory, drone term created first, so the satellite term's backward (and its
     * momentum update) runs first; the drone term's gradient is its forward-time softmax gradient times the
     * moved rows, as torch runs the reference. The forward-time alternative differs from it by far more than
     * the bound, so the fixture tells the two apart.
     */
    @Test void sharedMemoryTermsInterleaveAsTheReferenceBackwardDoes() {
        for (DType t : new DType[] {DType.F64, DType.F32}) {
            ClusterMemory shared = new ClusterMemory(matrix("shared_memory", 8, t), 0.1);
            Tensor fd = matrix("shared_fd", 16, t).requiresGrad(true),
                    fs = matrix("shared_fs", 16, t).requiresGrad(true);
            Tensor ld = shared.loss(L2Normalize.apply(fd), ints("shared_labels_d"), 0.05, false);
            Tensor ls = shared.loss(L2Normalize.apply(fs), ints("shared_labels_s"), 0.05, false);
            check("shared_loss_d", ld, bound(t));
            check("shared_loss_s", ls, bound(t));
            dev.uvgl.autograd.ops.Add.apply(ld, ls).backward();
            check("shared_grad_s", fs.grad(), bound(t));
            check("shared_grad_d", fd.grad(), bound(t));
            check("shared_memory_after", shared.rows(), bound(t));
        }
        assertTrue(relError(values("shared_grad_d"), values("shared_grad_d_forward_time")) > 1e-2,
                "the interleaved and forward-time gradients must differ for the fixture to test the order");
    }

    /** The fixtures are float32 roundings of float64 results: a float64 run agrees to their rounding. */
    private static double bound(DType t) { return t == DType.F32 ? BOUND : 1e-7; }

    /** A wrong order of the repeated labels fails the memory check: the fixture tells orders apart. */
    @Test void theFixtureDistinguishesBatchOrder() {
        int[] labels = ints("cm_labels");
        double[] f = values("cm_f");
        int d = 16, n = labels.length;
        double[] reversed = new double[f.length];
        int[] revLabels = new int[n];
        for (int i = 0; i < n; i++) {
            revLabels[i] = labels[n - 1 - i];
            System.arraycopy(f, (n - 1 - i) * d, reversed, i * d, d);
        }
        Tensor mem = matrix("cm_memory", 8, DType.F32);
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(mem, revLabels,
                CPU.l2Normalize(CPU.toDType(CPU.fromArray(reversed, Shape.of(n, d)), DType.F32), 1e-12), 0.2);
        assertTrue(relError(mem.toDoubleArray(), values("cm_memory_after_m0.2")) > 1e-3);
    }

    private static Tensor matrix(String name, int rows, DType t) {
        double[] v = values(name);
        return CPU.toDType(CPU.fromArray(v, Shape.of(rows, v.length / rows)), t);
    }

    private static void check(String fixture, Tensor got, double bound) {
        double err = relError(got.toDoubleArray(), values(fixture));
        assertTrue(err < bound, fixture + " (" + got.dtype() + "): error " + err + " >= " + bound);
    }
}
