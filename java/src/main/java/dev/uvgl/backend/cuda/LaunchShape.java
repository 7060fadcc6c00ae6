package dev.uvgl.backend.cuda;

import dev.uvgl.device.Dim3;

/**
 * Grid and block of one launch, chosen from the problem size alone (never from the device), so a kernel's
 * work partition, and with it every deterministic result, is the same on the GPU and on the emulator.
 * The backend and the self-test both launch through these, so the self-test checks the shapes that run.
 */
public record LaunchShape(Dim3 grid, Dim3 block) {
    /** Threads per block of every kernel here: 8 warps, a multiple of 32 as the shuffle trees need. */
    public static final int THREADS = 256;
    /**
     * Upper bound on blocks: 132 H100 SMs x 8 resident 256-thread blocks x 4 waves; beyond that the
     * grid-stride loops give each thread more work instead of paying for more blocks.
     */
    static final int MAX_BLOCKS = 132 * 8 * 4;

    private static int blocks(long items, long perBlock) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (items + perBlock - 1) / perBlock));
    }

    /** One thread per item. */
    public static LaunchShape perThread(long items) {
        return new LaunchShape(Dim3.of(blocks(items, THREADS)), Dim3.of(THREADS));
    }

    /** One thread per four items: the float4 element-wise kernels. */
    public static LaunchShape perFloat4(long items) {
        return new LaunchShape(Dim3.of(blocks((items + 3) / 4, THREADS)), Dim3.of(THREADS));
    }

    /** One warp per item (a row, a reduction slice, an output of a finishing sum). */
    public static LaunchShape perWarp(long items) {
        return new LaunchShape(Dim3.of(blocks(items, THREADS / 32)), Dim3.of(THREADS));
    }

    /** One block per row of length d; short rows get fewer threads (whole warps) so lanes are not left idle. */
    public static LaunchShape perRow(int rows, int d) {
        int threads = Math.max(32, Math.min(THREADS, (d + 31) / 32 * 32));
        return new LaunchShape(Dim3.of(Math.max(1, Math.min(MAX_BLOCKS, rows))), Dim3.of(threads));
    }
}
