package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/**
 * reduce.cu's deterministic two-pass sums over the middle axis of [outer, n, inner]: partial sums in double
 * per slice of n (the split a {@link ReducePlan} fixes from the sizes), then one finishing pass per output
 * that adds the slices in order and rounds to float once; and the broadcast that is their backward.
 */
public final class ReduceKernels {
    private ReduceKernels() {}

    /** inner 1: partial[row, split] (double) over contiguous rows of n floats, one warp per slice. */
    public static Launch rowsPartial(long partial, long x, int outer, int n, ReducePlan plan) {
        return new Launch("uvgl_reduce_rows_partial_f32", LaunchShape.perWarp((long) outer * plan.splits()),
                new KernelArgs().ptr(partial).ptr(x).i32(outer).i32(n).i32(plan.splits()).i32(plan.chunk()));
    }

    /** inner > 1: partial[(o, i), split] (double) over strided columns, one thread per slice. */
    public static Launch colsPartial(long partial, long x, int outer, int n, int inner, ReducePlan plan) {
        return new Launch("uvgl_reduce_cols_partial_f32",
                LaunchShape.perThread((long) outer * inner * plan.splits()),
                new KernelArgs().ptr(partial).ptr(x).i32(outer).i32(n).i32(inner).i32(plan.splits()).i32(plan.chunk()));
    }

    /** y[j] = (sum over the splits of partial[j, s], in order) / divisor, rounded to float once. */
    public static Launch finish(long y, long partial, int count, int splits, int divisor) {
        return new Launch("uvgl_reduce_finish_f32", LaunchShape.perWarp(count),
                new KernelArgs().ptr(y).ptr(partial).i32(count).i32(splits).i32(divisor));
    }

    /** y[o, k, i] = scale g[o, i] over the total elements of y = [outer, n, inner]. */
    public static Launch broadcastMiddle(long y, long g, long total, int n, int inner, float scale) {
        return new Launch("uvgl_broadcast_mid_f32", LaunchShape.perThread(total),
                new KernelArgs().ptr(y).ptr(g).i64(total).i32(n).i32(inner).f32(scale));
    }
}
