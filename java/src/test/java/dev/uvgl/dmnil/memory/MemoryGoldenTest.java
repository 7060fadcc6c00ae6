package dev.uvgl.dmnil.memory;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.dmnil.DmnilConfig;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Npy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memories against fixtures from the authors' formulas (java/src/test/python/make_dmnil_fixtures.py,
 * re-stating DMNIL's cluster_model.py and trainers.py on the CPU): loss values, input gradients and the
 * memories after their updates, float32, relative error < 1e-5 (dmnil.md section 9), every label repeated.
 */
class MemoryGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/dmnil");
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final double BOUND = 1e-5;

    @Test void clusterMemoryLossGradientAndOrderedUpdates() throws IOException {
        for (double m : new double[] {0.2, 0.1}) {
            Tensor f = tensor("cm_f").requiresGrad(true);
            ClusterMemory cm = new ClusterMemory(tensor("cm_memory"), m);
            Tensor loss = cm.loss(L2Normalize.apply(f), ints("cm_labels"), 0.05, false);
            assertClose("cm_loss", floats("cm_loss"), loss.toFloatArray());
            loss.backward();
            assertClose("cm_grad", floats("cm_grad"), f.grad().toFloatArray());
            assertClose("cm memory after m=" + m, floats(m == 0.2 ? "cm_memory_after_m0.2" : "cm_memory_after_m0.1"), cm.rows().toFloatArray());
        }
    }

    @Test void dhmlTwoStepsFromZeroBanks() throws IOException {
        DmnilConfig cfg = new DmnilConfig();
        DhmlMemory dhml = new DhmlMemory(new ClusterMemory(tensor("dhml_memory"), 0.2));
        for (int step = 1; step <= 2; step++) {
            Tensor f = tensor("dhml_f_step" + step).requiresGrad(true);
            Tensor loss = dhml.loss(L2Normalize.apply(f), ints("dhml_labels_step" + step), cfg);
            assertClose("dhml loss step " + step, floats("dhml_loss_step" + step), loss.toFloatArray());
            assertClose("dhml alpha step " + step, floats("dhml_alpha_step" + step), new float[] {(float) dhml.lastAlpha()});
            assertClose("dhml ST step " + step, floats("dhml_st_step" + step), dhml.shortTerm().toFloatArray());
            assertClose("dhml LT step " + step, floats("dhml_lt_step" + step), dhml.longTerm().toFloatArray());
            loss.backward();
            assertClose("dhml grad step " + step, floats("dhml_grad_step" + step), f.grad().toFloatArray());
            assertClose("dhml memory after step " + step, floats("dhml_memory_after_step" + step), dhml.cluster().rows().toFloatArray());
        }
    }

    @Test void instanceMemoryUpdatesInBatchOrderWithRawFeatures() throws IOException {
        InstanceMemory im = new InstanceMemory(tensor("im_memory"), new int[40]);
        im.update(ints("im_idx"), tensor("im_f"), 0.9);
        assertClose("im after", floats("im_memory_after"), im.rows().toFloatArray());
    }

    /** A wrong order of repeated labels must fail the memory check: the fixture can tell orders apart. */
    @Test void theFixtureDistinguishesBatchOrder() throws IOException {
        int[] labels = ints("cm_labels");
        float[] f = floats("cm_f");
        int d = 16, n = labels.length;
        float[] reversed = new float[f.length];
        int[] revLabels = new int[n];
        for (int i = 0; i < n; i++) { revLabels[i] = labels[n - 1 - i]; System.arraycopy(f, (n - 1 - i) * d, reversed, i * d, d); }
        ClusterMemory cm = new ClusterMemory(tensor("cm_memory"), 0.2);
        Tensor x = CPU.l2Normalize(CPU.fromArray(reversed, Shape.of(n, d)), 1e-12);
        CPU.memoryMomentumUpdateInPlace(cm.rows(), revLabels, x, 0.2);
        assertTrue(maxRel(floats("cm_memory_after_m0.2"), cm.rows().toFloatArray()) > 1e-3);
    }

    private static Tensor tensor(String name) throws IOException {
        Npy.Floats a = Npy.readFloats(DIR.resolve(name + ".npy"));
        int rows = name.startsWith("cm_memory") || name.startsWith("dhml_memory") ? 8 : name.equals("im_memory") ? 40 : 16;
        Tensor t = CPU.fromArray(a.data(), Shape.of(rows, a.data().length / rows));
        return System.getProperty("f64") != null ? CPU.toDType(t, dev.uvgl.tensor.DType.F64) : t;
    }

    private static float[] floats(String name) throws IOException { return Npy.readFloats(DIR.resolve(name + ".npy")).data(); }

    private static int[] ints(String name) throws IOException {
        long[] l = Npy.readLongs(DIR.resolve(name + ".npy"));
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    private static double maxRel(float[] ref, float[] got) {
        double worst = 0, scale = 0;
        for (float r : ref) scale = Math.max(scale, Math.abs(r));
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3 * scale));
        return worst;
    }

    private static void assertClose(String what, float[] ref, float[] got) {
        assertEquals(ref.length, got.length, what + " length");
        double err = maxRel(ref, got);
        assertTrue(err < BOUND, what + ": max relative error " + err + " >= " + BOUND);
    }
}
