package dev.uvgl.autograd;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.Gelu;
import dev.uvgl.autograd.ops.Matmul;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.Inputs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackpropTest {
    private static Tensor leaf(double... v) {
        return CpuBackend.INSTANCE.fromArray(v, Shape.of(v.length)).requiresGrad(true);
    }

    @Test void gradientsAccumulateAcrossBackwardCallsUntilCleared() {
        Tensor x = leaf(1, 2, 3);
        Sum.apply(Mul.apply(x, x)).backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray(), 0);
        Sum.apply(Mul.apply(x, x)).backward();
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray(), 0);
        x.setGrad(null);
        Sum.apply(x).backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toDoubleArray(), 0);
    }

    @Test void aTensorUsedOnManyPathsGetsTheSumOfTheirGradients() {
        // y = sum(x*x + x + gelu(x)*x): a diamond through shared non-leaf nodes
        Tensor x = leaf(0.3, -1.2, 2.0);
        Tensor g = Gelu.apply(x);
        Sum.apply(Add.apply(Add.apply(Mul.apply(x, x), x), Mul.apply(g, x))).backward();
        // d/dx of x^2 + x + x gelu(x) = 2x + 1 + gelu'(x) x + gelu(x), evaluated with Python's math.erf
        assertArrayEquals(new double[] {2.005071756704819, -1.3965392893562734, 9.124963338260036},
                x.grad().toDoubleArray(), 1e-12);
    }

    @Test void noGradScopeRecordsNothingAndRestores() {
        Tensor x = leaf(1, 2);
        Tensor y;
        try (var s = GradMode.noGrad()) {
            y = Mul.apply(x, x);
            assertFalse(GradMode.enabled());
        }
        assertTrue(GradMode.enabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        assertThrows(IllegalStateException.class, () -> Sum.apply(y).backward());
    }

    @Test void constantsGetNoGradientAndCostNoBackward() {
        Tensor x = leaf(1, 2);
        Tensor c = CpuBackend.INSTANCE.fromArray(new double[] {3, 4}, Shape.of(2));
        Sum.apply(Mul.apply(x, c)).backward();
        assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray(), 0);
        assertNull(c.grad());
    }

    @Test void backwardNeedsAOneElementLoss() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> Mul.apply(x, x).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test void repeatedRunsAreBitwiseIdentical() {
        double[] a = Inputs.uniform(1, 200 * 300), b = Inputs.uniform(2, 300 * 100);
        float[][] grads = new float[2][];
        for (int run = 0; run < 2; run++) {
            var be = CpuBackend.INSTANCE;
            Tensor ta = be.toDType(be.fromArray(a, Shape.of(200, 300)), DType.F32).requiresGrad(true);
            Tensor tb = be.toDType(be.fromArray(b, Shape.of(300, 100)), DType.F32).requiresGrad(true);
            Sum.apply(Gelu.apply(Matmul.apply(ta, tb))).backward();
            grads[run] = ta.grad().toFloatArray();
        }
        assertArrayEquals(grads[0], grads[1]);
    }
}
