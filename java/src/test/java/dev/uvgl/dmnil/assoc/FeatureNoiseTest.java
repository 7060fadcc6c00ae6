package dev.uvgl.dmnil.assoc;

import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureNoiseTest {
    @Test void addsSeededGaussianNoiseOfTheGivenScale() {
        int n = 200, d = 100;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(i);
        Tensor t = CrossViewAssociationTest.tensor(x, DType.F32, n, d);
        Tensor a = FeatureNoise.add(t, 0.05, 42), b = FeatureNoise.add(t, 0.05, 42), c = FeatureNoise.add(t, 0.05, 43);
        assertEquals(DType.F32, a.dtype());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), "same seed, same noise");
        assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()), "another seed, other noise");
        double[] y = a.toDoubleArray(), xs = t.toDoubleArray();
        double mean = 0, sq = 0;
        for (int i = 0; i < y.length; i++) { mean += y[i] - xs[i]; sq += (y[i] - xs[i]) * (y[i] - xs[i]); }
        mean /= y.length;
        double std = Math.sqrt(sq / y.length - mean * mean);
        // 20000 draws: the sample std is within 2% of 0.05 and the mean within 5 standard errors of 0
        assertTrue(Math.abs(std - 0.05) < 0.001, "std " + std);
        assertTrue(Math.abs(mean) < 5 * 0.05 / Math.sqrt(y.length), "mean " + mean);
    }
}
