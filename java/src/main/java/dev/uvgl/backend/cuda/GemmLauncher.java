package dev.uvgl.backend.cuda;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.KernelArgs;

/**
 * c[m x n] = op(a) op(b) on the device, row-major float32 in and out (Kernels.matmul's contract): a is
 * [m, k] or, transposed, [k, m]; b is [k, n] or [n, k]. c is fully overwritten, also when k is 0.
 * The kernels read the transposes in place. When C has too few tiles to fill the GPU but K is long (a
 * weight gradient: K = batch x pixels), K is split: each slice's product goes to scratch and
 * uvgl_sum_partials adds them in slice order, so the result stays deterministic.
 */
public final class GemmLauncher {
    /** Output tile of both kernels (gemm_bf16.cu, gemm_f32.cu) and their block sizes. */
    static final int TILE = 64, BF16_THREADS = 128, F32_THREADS = 256;
    /** Blocks that keep an H100 busy (2 per SM), the least K a split slice gets, and the most slices. */
    static final int TARGET_BLOCKS = 264, MIN_SLICE_DEPTH = 1024, MAX_SLICES = 64;
    /** Slice starts stay multiples of the BF16 kernel's K step, so its 16-byte copies stay aligned. */
    private static final int K_STEP = 32;
    private static final int MAX_GRID_Y = 65535;

    private GemmLauncher() {}

    public static void matmul(Device d, CachingAllocator scratch, long c, long a, boolean transA, long b,
                              boolean transB,
                              int m, int n, int k, GemmPrecision precision) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("matmul: negative size m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        int rowTiles = (m + TILE - 1) / TILE, colTiles = (n + TILE - 1) / TILE;
        if (rowTiles > MAX_GRID_Y)
            throw new IllegalArgumentException("matmul: m=" + m + " rows exceed the " + (long) MAX_GRID_Y * TILE
                    + " one launch covers; split the batch");
        int slices = slices(m, n, k), chunk = sliceDepth(k, slices);
        if (slices == 1) {
            launch(d, c, a, transA, b, transB, m, n, k, chunk, new Dim3(colTiles, rowTiles, 1), precision);
            return;
        }
        long count = (long) m * n;
        DeviceBuffer partial = scratch.allocate(4L * slices * count, "matmul split-K partials");
        try {
            launch(d, partial.address(), a, transA, b, transB, m, n, k, chunk,
                    new Dim3(colTiles, rowTiles, slices), precision);
            ConvLauncher.sumPartials(c, partial.address(), count, slices).on(d);
        } finally {
            scratch.free(partial);
        }
    }

    /** How many K slices a shape runs as: a function of the shape alone, so results never depend on the device. */
    static int slices(int m, int n, int k) {
        long tiles = (long) ((m + TILE - 1) / TILE) * ((n + TILE - 1) / TILE);
        if (tiles >= TARGET_BLOCKS || k < 2 * MIN_SLICE_DEPTH) return 1;
        int want = (int) Math.min(MAX_SLICES, Math.min((TARGET_BLOCKS + tiles - 1) / tiles, k / MIN_SLICE_DEPTH));
        return Math.max(1, (k + sliceDepth(k, want) - 1) / sliceDepth(k, want));
    }

    /** K per slice: k split `slices` ways, rounded up to the K step. */
    private static int sliceDepth(int k, int slices) {
        if (slices == 1) return Math.max(k, 1);
        int depth = (k + slices - 1) / slices;
        return (depth + K_STEP - 1) / K_STEP * K_STEP;
    }

    private static void launch(Device d, long c, long a, boolean transA, long b, boolean transB, int m, int n,
                               int k, int chunk, Dim3 grid, GemmPrecision precision) {
        gemm(c, a, transA, b, transB, m, n, k, chunk, grid, precision).on(d);
    }

    private static Launch gemm(long c, long a, boolean transA, long b, boolean transB, int m, int n, int k, int chunk,
                               Dim3 grid, GemmPrecision precision) {
        KernelArgs args = new KernelArgs().ptr(c).ptr(a).ptr(b).i32(m).i32(n).i32(k).i32(transA ? 1 : 0)
                .i32(transB ? 1 : 0).i32(chunk);
        return new Launch(kernel(precision), new LaunchShape(grid,
                Dim3.of(precision == GemmPrecision.BF16 ? BF16_THREADS : F32_THREADS)), args);
    }

    /** c = a b with no transposes in one K slice: the launch `bench kernels` times on its own. */
    public static Launch oneSlice(long c, long a, long b, int m, int n, int k, GemmPrecision precision) {
        return gemm(c, a, false, b, false, m, n, k, Math.max(k, 1),
                new Dim3((n + TILE - 1) / TILE, (m + TILE - 1) / TILE, 1), precision);
    }

    /** The registered kernel that runs this precision. */
    public static String kernel(GemmPrecision precision) {
        return precision == GemmPrecision.BF16 ? "uvgl_gemm_bf16_f32" : "uvgl_gemm_f32";
    }
}
