package dev.uvgl.backend.cuda;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GemmLauncher on the emulated device against the CPU backend's matmul, every transpose combination. */
class GemmLauncherTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    @Test void fp32MatchesTheCpuForEveryTransposeAndOddShapes() {
        for (int[] s : new int[][] {{1, 1, 1}, {33, 17, 45}, {70, 65, 19}, {5, 130, 66}})
            for (int t = 0; t < 4; t++)
                assertClose(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, GemmPrecision.FP32, 1e-5);
    }

    @Test void bf16MatchesTheCpuWithinItsRoundingBound() {
        for (int[] s : new int[][] {{1, 1, 1}, {33, 17, 45}, {70, 65, 40}})
            for (int t = 0; t < 4; t++)
                assertClose(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, GemmPrecision.BF16, 1.0 / 128 + 1e-5);
    }

    @Test void longSharedDimensionSplitsKAndStillMatchesTheCpu() {
        assertEquals(4, GemmLauncher.slices(8, 8, 4100));
        assertEquals(2, GemmLauncher.slices(70, 20, 2100));
        assertEquals(1, GemmLauncher.slices(2048, 2048, 4100), "a C that fills the GPU is never split");
        assertEquals(1, GemmLauncher.slices(8, 8, 2047), "a short K is never split");
        for (int t = 0; t < 4; t++) {
            // Within the recursive-summation bound of both sides: 2 k 2^-24 of sum |a||b|.
            assertClose(8, 8, 4100, (t & 1) != 0, (t & 2) != 0, GemmPrecision.FP32, 2 * 4100 * 0x1p-24);
            assertClose(70, 20, 2100, (t & 1) != 0, (t & 2) != 0, GemmPrecision.BF16, 1.0 / 128 + 2100 * 0x1p-24);
        }
    }

    @Test void splitKIsBitwiseReproducibleAcrossSchedules() {
        assertArrayEquals(product(1, 9, 10, 4100, true, false, GemmPrecision.FP32),
                product(2, 9, 10, 4100, true, false, GemmPrecision.FP32));
    }

    @Test void bf16IsNotSecretlyFp32() {
        // If the tensor-core path computed in float32 its error would sit near 1e-7, far below BF16 rounding.
        assertTrue(worstError(40, 40, 64, false, false, GemmPrecision.BF16) > 1e-4);
    }

    @Test void emptySharedDimensionWritesZeros() {
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            long c = e.poisoned(6);
            GemmLauncher.matmul(e.device, e.alloc, c, e.upload(new float[0]), false, e.upload(new float[0]), false, 2,
                    3, 0, GemmPrecision.FP32);
            assertArrayEquals(new float[6], e.read(c, 6));
        }
    }

    @Test void bf16IsBitwiseReproducibleAcrossSchedules() {
        assertArrayEquals(product(1, 45, 70, 33, true, false, GemmPrecision.BF16),
                product(2, 45, 70, 33, true, false, GemmPrecision.BF16));
    }

    @Test void negativeSizesAreRejectedWithTheirNames() {
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> GemmLauncher.matmul(e.device, e.alloc, 0, 0, false, 0, false, -1, 2, 3, GemmPrecision.FP32));
            assertTrue(ex.getMessage().contains("m=-1"), ex.getMessage());
        }
    }

    private static float[] product(long schedule, int m, int n, int k, boolean ta, boolean tb, GemmPrecision p) {
        SplittableRandom r = new SplittableRandom(7);
        float[] a = random(r, m * k), b = random(r, k * n);
        try (EmuLaunchFixture e = new EmuLaunchFixture(schedule)) {
            long c = e.poisoned(m * n);
            GemmLauncher.matmul(e.device, e.alloc, c, e.upload(a), ta, e.upload(b), tb, m, n, k, p);
            return e.read(c, m * n);
        }
    }

    private static void assertClose(int m, int n, int k, boolean ta, boolean tb, GemmPrecision p, double bound) {
        double worst = worstError(m, n, k, ta, tb, p);
        assertTrue(worst <= bound, p + " " + m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb + ": error "
                + worst + " > " + bound);
    }

    /** max |got - ref| / sum_p |a_ip||b_pj| over the output, infinite where the device wrote NaN. */
    private static double worstError(int m, int n, int k, boolean ta, boolean tb, GemmPrecision p) {
        SplittableRandom r = new SplittableRandom(m * 31L + n * 7L + k);
        float[] a = random(r, m * k), b = random(r, k * n);
        float[] ref = CPU.matmul(CPU.fromArray(a, ta ? Shape.of(k, m) : Shape.of(m, k)), ta,
                CPU.fromArray(b, tb ? Shape.of(n, k) : Shape.of(k, n)), tb).toFloatArray();
        float[] got;
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            long c = e.poisoned(m * n);
            GemmLauncher.matmul(e.device, e.alloc, c, e.upload(a), ta, e.upload(b), tb, m, n, k, p);
            got = e.read(c, m * n);
            e.assertNoScratchLeft();
        }
        assertEquals(ref.length, got.length);
        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double scale = 0;
                for (int q = 0; q < k; q++)
                    scale += Math.abs((double) a[ta ? q * m + i : i * k + q] * b[tb ? j * k + q : q * n + j]);
                float g = got[i * n + j];
                worst = Float.isNaN(g) ? Double.POSITIVE_INFINITY
                        : Math.max(worst, Math.abs(g - (double) ref[i * n + j]) / Math.max(scale, 1e-30));
            }
        return worst;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }
}
