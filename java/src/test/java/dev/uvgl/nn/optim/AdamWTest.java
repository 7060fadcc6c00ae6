package dev.uvgl.nn.optim;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamWTest {
    private static Parameter param(int[] shape, double... v) {
        return new Parameter("w", CpuBackend.INSTANCE.fromArray(v, Shape.of(shape)));
    }

    /** torch.optim.AdamW's update written out in double, for a decayed matrix and an undecayed vector. */
    @Test void followsTorchSemanticsOverThreeSteps() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.05;
        Parameter mat = param(new int[] {1, 2}, 1.0, -2.0), vec = param(new int[] {2}, 0.5, 0.25);
        AdamW opt = new AdamW(List.of(mat, vec), lr, b1, b2, eps, wd, false);
        double[][] w = {{1.0, -2.0}, {0.5, 0.25}}, m = new double[2][2], v = new double[2][2];
        double[][][] grads = {{{0.5, -0.25}, {0.1, 0.3}}, {{0.1, 0.3}, {-0.2, 0.0}}, {{-0.2, 0.0}, {0.7, -0.1}}};
        for (int step = 1; step <= 3; step++) {
            mat.value().setGrad(CpuBackend.INSTANCE.fromArray(grads[step - 1][0], Shape.of(1, 2)));
            vec.value().setGrad(CpuBackend.INSTANCE.fromArray(grads[step - 1][1], Shape.of(2)));
            opt.step();
            for (int p = 0; p < 2; p++) {
                double decay = p == 0 ? 1 - lr * wd : 1;
                for (int i = 0; i < 2; i++) {
                    double g = grads[step - 1][p][i];
                    w[p][i] *= decay;
                    m[p][i] = b1 * m[p][i] + (1 - b1) * g;
                    v[p][i] = b2 * v[p][i] + (1 - b2) * g * g;
                    double mh = m[p][i] / (1 - Math.pow(b1, step)), vh = v[p][i] / (1 - Math.pow(b2, step));
                    w[p][i] -= lr * mh / (Math.sqrt(vh) + eps);
                }
            }
            assertArrayEquals(w[0], mat.value().toDoubleArray(), 1e-12, "matrix, step " + step);
            assertArrayEquals(w[1], vec.value().toDoubleArray(), 1e-12, "vector, step " + step);
        }
    }

    @Test void torchReferenceValues() {
        // torch.optim.AdamW(lr=0.002, betas=(0.9, 0.999), eps=1e-8),
        // weight decay 0.05 on the matrix and 0 on the vector
        // (fixtures/torch_ops.txt, from src/test/python/make_torch_fixtures.py)
        Parameter mat = param(new int[] {1, 3}, 0.5, -1.5, 2.0), vec = param(new int[] {2}, 0.25, -0.75);
        AdamW opt = new AdamW(List.of(mat, vec), 0.002, 0.9, 0.999, 1e-8, 0.05, false);
        double[][][] grads = {{{0.1, -0.2, 0.3}, {0.5, 0.0}}, {{-0.4, 0.5, 0.05}, {-0.1, 0.2}},
                {{0.0, 0.3, -0.6}, {0.3, 0.3}}};
        for (double[][] g : grads) {
            mat.value().setGrad(CpuBackend.INSTANCE.fromArray(g[0], Shape.of(1, 3)));
            vec.value().setGrad(CpuBackend.INSTANCE.fromArray(g[1], Shape.of(2)));
            opt.step();
        }
        assertArrayEquals(dev.uvgl.testing.TorchFixtures.values("adamw.matrix_after_three_steps"),
                mat.value().toDoubleArray(), 1e-12);
        assertArrayEquals(dev.uvgl.testing.TorchFixtures.values("adamw.vector_after_three_steps"),
                vec.value().toDoubleArray(), 1e-12);
    }

    @Test void badHyperparametersAreRejected() {
        Parameter p = param(new int[] {1}, 1.0);
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), -1, 0.9, 0.999, 1e-8, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 1e-3, 1.0, 0.999, 1e-8, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 1e-3, 0.9, 0.999, 0, 0, true));
    }
}
