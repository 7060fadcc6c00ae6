package dev.uvgl.nn.optim;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SgdTest {
    private static Parameter param(double... v) {
        return new Parameter("w", CpuBackend.INSTANCE.fromArray(v, Shape.of(v.length)));
    }

    private static void setGrad(Parameter p, double... g) {
        p.value().setGrad(CpuBackend.INSTANCE.fromArray(g, Shape.of(g.length)));
    }

    /** torch.optim.SGD's update written out: d = g + wd p; buf = d (first) or m buf + d; p -= lr buf. */
    @Test void followsTorchSemanticsOverThreeSteps() {
        double lr = 0.1, m = 0.9, wd = 5e-4;
        Parameter p = param(1.0, -2.0);
        Sgd sgd = new Sgd(List.of(p), lr, m, wd);
        double[] w = {1.0, -2.0}, buf = new double[2];
        double[][] grads = {{0.5, -0.25}, {0.1, 0.3}, {-0.2, 0.0}};
        for (int step = 0; step < 3; step++) {
            setGrad(p, grads[step]);
            sgd.step();
            for (int i = 0; i < 2; i++) {
                double d = grads[step][i] + wd * w[i];
                buf[i] = step == 0 ? d : m * buf[i] + d;
                w[i] -= lr * buf[i];
            }
            assertArrayEquals(w, p.value().toDoubleArray(), 1e-15, "step " + step);
        }
    }

    /** A parameter group's lr: scale s steps exactly as an optimiser of lr s * lr would; scale 0 freezes. */
    @Test void lrScalesActAsParameterGroups() {
        Parameter a = param(1.0, -2.0), b = param(0.5), frozen = param(3.0), aRef = param(1.0, -2.0), bRef = param(0.5);
        Sgd sgd = new Sgd(List.of(a, b, frozen), 0.1, 0.9, 5e-4, new double[] {1, 0.25, 0});
        Sgd refA = new Sgd(List.of(aRef), 0.1, 0.9, 5e-4), refB = new Sgd(List.of(bRef), 0.025, 0.9, 5e-4);
        for (int step = 0; step < 3; step++) {
            double g = 0.3 - 0.2 * step;
            for (Parameter p : List.of(a, aRef)) setGrad(p, g, -g);
            for (Parameter p : List.of(b, bRef, frozen)) setGrad(p, 2 * g);
            sgd.step();
            refA.step();
            refB.step();
        }
        assertArrayEquals(aRef.value().toDoubleArray(), a.value().toDoubleArray(), 0);
        assertArrayEquals(bRef.value().toDoubleArray(), b.value().toDoubleArray(), 0);
        assertArrayEquals(new double[] {3.0}, frozen.value().toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(a), 0.1, 0.9, 0, new double[] {1, 1}));
    }

    @Test void torchReferenceValues() {
        // torch.optim.SGD([w], lr=0.001, momentum=0.9, weight_decay=5e-4), w = [0.5, -1.5, 2.0], grads g1 then g2
        // (fixtures/torch_ops.txt, from src/test/python/make_torch_fixtures.py)
        Parameter p = param(0.5, -1.5, 2.0);
        Sgd sgd = new Sgd(List.of(p), 0.001, 0.9, 5e-4);
        setGrad(p, 0.1, -0.2, 0.3);
        sgd.step();
        setGrad(p, -0.4, 0.5, 0.05);
        sgd.step();
        assertArrayEquals(dev.uvgl.testing.TorchFixtures.values("sgd.after_two_steps"),
                p.value().toDoubleArray(), 1e-12);
    }

    @Test void parametersWithoutGradientAreSkippedAndFloat32Works() {
        Parameter a = new Parameter("a", CpuBackend.INSTANCE.toDType(
                CpuBackend.INSTANCE.fromArray(new double[] {1, 2}, Shape.of(2)), DType.F32));
        Parameter b = param(3.0);
        new Sgd(List.of(a, b), 0.5, 0.0, 0.0).step();
        assertArrayEquals(new float[] {1, 2}, a.value().toFloatArray());
        a.value().setGrad(CpuBackend.INSTANCE.toDType(CpuBackend.INSTANCE.fromArray(new double[] {1, -1}, Shape.of(2)),
                DType.F32));
        Sgd plain = new Sgd(List.of(a), 0.5, 0.0, 0.0);
        plain.step();
        plain.step();
        assertArrayEquals(new float[] {0, 3}, a.value().toFloatArray());
    }

    @Test void stepLrDecaysEveryStepSizeEpochs() {
        StepLr s = new StepLr(0.001, 20, 0.1);
        assertEquals(0.001, s.lrAt(0), 0);
        assertEquals(0.001, s.lrAt(19), 0);
        assertEquals(0.0001, s.lrAt(20), 1e-18);
        assertEquals(0.00001, s.lrAt(40), 1e-18);
        Sgd sgd = new Sgd(List.of(param(1)), 1, 0.9, 0);
        s.apply(sgd, 25);
        assertEquals(0.0001, sgd.lr(), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> new StepLr(1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), -1, 0, 0));
    }

    @Test void momentumBufferIsKeptPerParameter() {
        Parameter p = param(1.0);
        Sgd sgd = new Sgd(List.of(p), 1, 0.5, 0);
        setGrad(p, 1.0);
        sgd.step();
        Tensor buf = sgd.momentumBuffer(0);
        assertArrayEquals(new double[] {1.0}, buf.toDoubleArray(), 0);
        sgd.step();
        assertArrayEquals(new double[] {1.5}, sgd.momentumBuffer(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1.0 - 1.0 - 1.5}, p.value().toDoubleArray(), 0);
    }
}
