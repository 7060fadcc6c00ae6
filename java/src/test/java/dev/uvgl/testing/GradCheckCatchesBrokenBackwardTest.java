package dev.uvgl.testing;

import dev.uvgl.autograd.Node;
import dev.uvgl.autograd.ops.Gelu;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient check must be able to fail: GELU with a backward that is subtly wrong is caught. */
class GradCheckCatchesBrokenBackwardTest {
    /** GELU forward with a backward scaled by 1.01: a 1% error, the kind a wrong constant makes. */
    private static final class SlightlyWrongGelu extends Node {
        private final Tensor x;

        private SlightlyWrongGelu(Tensor x) { this.x = x; }

        static Tensor apply(Tensor x) { return record(new SlightlyWrongGelu(x), x.backend().gelu(x), x); }

        @Override protected Tensor[] backward(Tensor gy) {
            return new Tensor[] {x.backend().affine(x.backend().geluBackward(x, gy), 1.01, 0)};
        }
    }

    /** The backward forgets one of two inputs' contributions when an input is used twice. */
    private static final class DropsSecondUse extends Node {
        @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {gy, null}; }

        static Tensor apply(Tensor a, Tensor b) { return record(new DropsSecondUse(), a.backend().add(a, b), a, b); }
    }

    @Test void correctBackwardPasses() {
        GradCheck.Report r = GradCheck.of(1, in -> Gelu.apply(in[0])).input(30).run();
        assertTrue(r.failures().isEmpty(), r.toString());
    }

    @Test void onePercentErrorFails() {
        GradCheck.Report r = GradCheck.of(1, in -> SlightlyWrongGelu.apply(in[0])).input(30).run();
        assertFalse(r.failures().isEmpty(), "a 1% gradient error went unnoticed: " + r);
        assertThrows(AssertionError.class,
                () -> GradCheck.of(1, in -> SlightlyWrongGelu.apply(in[0])).input(30).assertPasses());
    }

    @Test void missingGradientFails() {
        GradCheck.Report r = GradCheck.of(2, in -> DropsSecondUse.apply(in[0], in[1])).input(5).input(5).run();
        assertFalse(r.failures().isEmpty(), r.toString());
    }
}
