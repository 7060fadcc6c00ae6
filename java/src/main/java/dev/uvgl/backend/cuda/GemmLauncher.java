package dev.uvgl.backend.cuda;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.KernelArgs;

/**
 * c[m x n] = op(a) op(b) on the device, row-major float32 in and out (Kernels.matmul's contract): a is
 * [m, k] or, transposed, [k, m]; b is [k, n] or [n, k]. c is fully overwritten, also when k is 0.
 * The kernels read the transposes in place, so no scratch is needed; the allocator is taken so a
 * future path (a split-k reduction) can borrow from it without changing callers.
 */
public final class GemmLauncher {
    /** Output tile of both kernels (gemm_bf16.cu, gemm_f32.cu) and their block sizes. */
    static final int TILE = 64, BF16_THREADS = 128, F32_THREADS = 256;
    private static final int MAX_GRID_Y = 65535;

    private GemmLauncher() {}

    public static void matmul(Device d, CachingAllocator scratch, long c, long a, boolean transA, long b, boolean transB,
                              int m, int n, int k, GemmPrecision precision) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("matmul: negative size m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        int rowTiles = (m + TILE - 1) / TILE;
        if (rowTiles > MAX_GRID_Y)
            throw new IllegalArgumentException("matmul: m=" + m + " rows exceed the " + (long) MAX_GRID_Y * TILE + " one launch covers; split the batch");
        KernelArgs args = new KernelArgs().ptr(c).ptr(a).ptr(b).i32(m).i32(n).i32(k).i32(transA ? 1 : 0).i32(transB ? 1 : 0);
        Dim3 grid = Dim3.of((n + TILE - 1) / TILE, rowTiles);
        switch (precision) {
            case BF16 -> d.launch(kernel(precision), grid, Dim3.of(BF16_THREADS), 0, args);
            case FP32 -> d.launch(kernel(precision), grid, Dim3.of(F32_THREADS), 0, args);
        }
    }

    /** The registered kernel that runs this precision. */
    public static String kernel(GemmPrecision precision) {
        return precision == GemmPrecision.BF16 ? "uvgl_gemm_bf16_f32" : "uvgl_gemm_f32";
    }
}
