package dev.uvgl.pretrain;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.GradCheck;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchContrastTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    /** Row 5 is a class of its own (no positive): it is only ever a negative. */
    private static final int[] LABELS = {0, 1, 0, 2, 1, 3, 2, 0};
    private static final int N = 8, D = 5;

    @Test void gradientMatchesFiniteDifferences() {
        var report = GradCheck.of(3, in -> BatchContrast.loss(L2Normalize.apply(in[0]), LABELS, 0.5)).input(N, D).run();
        assertTrue(report.failures().isEmpty(), report.toString());
    }

    /** SupCon's "out" form written out in double. */
    @Test void lossEqualsDefinition() {
        double tau = 0.1;
        double[] x = Inputs.uniform(4, N * D);
        Tensor z = L2Normalize.apply(CPU.fromArray(x, Shape.of(N, D)));
        double[] u = z.toDoubleArray();
        double total = 0;
        int anchors = 0;
        for (int i = 0; i < N; i++) {
            double[] s = new double[N];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < N; j++) {
                if (j == i) continue;
                for (int k = 0; k < D; k++) s[j] += u[i * D + k] * u[j * D + k] / tau;
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (int j = 0; j < N; j++) if (j != i) sum += Math.exp(s[j] - max);
            double lse = max + Math.log(sum), row = 0;
            int pos = 0;
            for (int j = 0; j < N; j++) if (j != i && LABELS[j] == LABELS[i]) { row += s[j] - lse; pos++; }
            if (pos == 0) continue;
            total -= row / pos;
            anchors++;
        }
        assertEquals(total / anchors, BatchContrast.loss(z, LABELS, tau).item(), 1e-12);
    }

    @Test void featuresThatTellNothingApartScoreChance() {
        double[] same = new double[N * D];
        for (int i = 0; i < N; i++) same[i * D] = 1;
        assertEquals(BatchContrast.chance(N),
                BatchContrast.loss(CPU.fromArray(same, Shape.of(N, D)), LABELS, 0.1).item(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> BatchContrast.loss(CPU.fromArray(same, Shape.of(N, D)), new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0.1));
    }
}
