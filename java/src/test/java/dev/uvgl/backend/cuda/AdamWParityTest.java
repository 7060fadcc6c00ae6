package dev.uvgl.backend.cuda;

import dev.uvgl.nn.Parameter;
import dev.uvgl.nn.optim.AdamW;
import dev.uvgl.tensor.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.uvgl.backend.cuda.EmuBackends.Pair;
import static dev.uvgl.backend.cuda.EmuBackends.assertClose;
import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static dev.uvgl.backend.cuda.EmuBackends.random;

/**
 * AdamW's kernel on the emulated device against the CPU backend:
 * five steps on odd sizes, decayed and undecayed parameters.
 */
class AdamWParityTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    @Test void fiveStepsMatchTheCpu() {
        for (int n : new int[] {1, 7, 1001}) {
            Pair w = Pair.of(random(31, n, -1, 1), Shape.of(n)),
                    mat = Pair.of(random(32, 3 * n, -1, 1), Shape.of(3, n));
            Parameter cw = new Parameter("w", w.cpu()), dw = new Parameter("w", w.dev());
            Parameter cm = new Parameter("m", mat.cpu()), dm = new Parameter("m", mat.dev());
            AdamW cpu = new AdamW(List.of(cw, cm), 2e-3, 0.9, 0.999, 1e-8, 0.05, false);
            AdamW dev = new AdamW(List.of(dw, dm), 2e-3, 0.9, 0.999, 1e-8, 0.05, false);
            for (int step = 0; step < 5; step++) {
                Pair g = Pair.of(random(40 + step, n, -1, 1), Shape.of(n)),
                        gm = Pair.of(random(50 + step, 3 * n, -1, 1), Shape.of(3, n));
                cw.value().setGrad(g.cpu());
                dw.value().setGrad(g.dev());
                cm.value().setGrad(gm.cpu());
                dm.value().setGrad(gm.dev());
                cpu.step();
                dev.step();
            }
            // Bound: a few float32 ulps of max(|p|, 1) per step (the device may contract multiply-adds).
            assertClose("adamw vector n=" + n, cw.value(), dw.value(), 1e-6);
            assertClose("adamw matrix n=" + n, cm.value(), dm.value(), 1e-6);
            assertClose("adamw first moment n=" + n, cpu.firstMoment(1), dev.firstMoment(1), 1e-6);
            assertClose("adamw second moment n=" + n, cpu.secondMoment(1), dev.secondMoment(1), 1e-6);
        }
    }
}
