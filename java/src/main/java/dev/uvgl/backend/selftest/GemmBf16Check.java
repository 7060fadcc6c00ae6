package dev.uvgl.backend.selftest;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.Dim3;
import dev.uvgl.tensor.Shape;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The wmma BF16 GEMM against the CPU backend's float32 matmul. Rounding each input to BF16 (8 significant
 * bits, unit roundoff 2^-8) moves each product by at most ~2^-7 of |a||b|, float accumulation adds about
 * k*2^-24; so the measure is |d| / sum_k |a_ik||b_kj| and the stated bound 2^-6 is twice that worst case
 * (a dropped 16-wide k slice of the 45-deep case already exceeds it).
 */
final class GemmBf16Check implements KernelCheck {
    static final int TILE = 32, THREADS = 128;

    public String kernel() { return "uvgl_gemm_bf16_f32"; }
    public double bound() { return 1.0 / 64; }
    public String measure() { return "|d|/sum|a||b|"; }
    public List<int[]> shapes(boolean quick) {
        return quick ? List.of(new int[] {1, 1, 1}, new int[] {33, 17, 45})
                : List.of(new int[] {1, 1, 1}, new int[] {16, 16, 16}, new int[] {33, 17, 45}, new int[] {64, 96, 80}, new int[] {128, 128, 128});
    }

    public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
        int m = shape[0], n = shape[1], k = shape[2];
        SplittableRandom r = new SplittableRandom(seed);
        float[] av = KernelCheck.random(r, m * k, -1, 1), bv = KernelCheck.random(r, k * n, -1, 1);
        CpuBackend cpu = CpuBackend.INSTANCE;
        float[] ref = cpu.matmul(cpu.fromArray(av, Shape.of(m, k)), false, cpu.fromArray(bv, Shape.of(k, n)), false).toFloatArray();
        try (LaunchCase c = new LaunchCase(d, a)) {
            int out = c.out(m * n);
            c.in(av); c.in(bv);
            c.i32(m).i32(n).i32(k);
            launch(c, m, n);
            float[] got = c.read(out);
            double worst = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double scale = 0;
                    for (int p = 0; p < k; p++) scale += Math.abs((double) av[i * k + p] * bv[p * n + j]);
                    double e = Math.abs((double) got[i * n + j] - ref[i * n + j]) / Math.max(scale, 1e-30);
                    worst = Float.isNaN(got[i * n + j]) ? Double.POSITIVE_INFINITY : Math.max(worst, e);  // max keeps an infinity
                }
            return new Run(worst, c.outputs());
        }
    }

    static void launch(LaunchCase c, int m, int n) {
        c.launch("uvgl_gemm_bf16_f32", Dim3.of((n + TILE - 1) / TILE, (m + TILE - 1) / TILE), Dim3.of(THREADS), 0);
    }
}
