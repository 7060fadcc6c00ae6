package dev.uvgl.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GEMM's parallel block paths (rows of C; the shared dimension with partial sums) against a
 * double-precision triple loop, on sub-matrices with leading dimensions and offsets, every
 * transpose combination, shapes large enough to take the split paths.
 */
class GemmBlocksTest {
    @Test void splitProductsEqualTheDefinition() {
        int[][] shapes = {{300, 50, 200}, {60, 60, 600}, {130, 70, 310}};
        for (int[] s : shapes)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true}) check(s[0], s[1], s[2], ta, tb);
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb) {
        Random r = new Random(m * 31L + n * 7L + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n, offA = 7, offB = 11, offC = 13;
        float[] a = new float[offA + (ta ? k : m) * lda], b = new float[offB + (tb ? n : k) * ldb],
                c = new float[offC + m * ldc];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        java.util.Arrays.fill(c, 99);
        F32Kernels.gemm(ta, tb, m, n, k, a, offA, lda, b, offB, ldb, 0, c, offC, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++)
                    want += (double) a[offA + (ta ? p * lda + i : i * lda + p)]
                            * b[offB + (tb ? j * ldb + p : p * ldb + j)];
                assertEquals(want, c[offC + i * ldc + j], 1e-4 * Math.sqrt(k) * 3,
                        "m" + m + " n" + n + " k" + k + " ta " + ta + " tb " + tb + " at " + i + "," + j);
            }
        for (int i = 0; i < offC; i++) assertEquals(99f, c[i], "wrote before C");
    }
}
