package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/** topk.cu, gather.cu and permute.cu: selections and copies (exact), int32 indices. */
public final class LayoutKernels {
    private LayoutKernels() {}

    /** The k largest of each row of d (ties: the lower index), one block per row. */
    public static Launch topk(long values, long indices, long x, int rows, int d, int k) {
        return new Launch("uvgl_topk_f32", LaunchShape.perRow(rows, d),
                new KernelArgs().ptr(values).ptr(indices).ptr(x).i32(rows).i32(d).i32(k));
    }

    /** dx[row, idx] += gValues[row, j], one thread per row so repeated indices add in order; dx starts zeroed. */
    public static Launch topkScatter(long dx, long gValues, long indices, int rows, int d, int k) {
        return new Launch("uvgl_topk_scatter_f32", LaunchShape.perThread(rows),
                new KernelArgs().ptr(dx).ptr(gValues).ptr(indices).i32(rows).i32(d).i32(k));
    }

    /** out[i] = x[rows[i]] for rows of d floats; float4 lanes when d % 4 == 0. */
    public static Launch gatherRows(long out, long x, long rows, int count, int d) {
        return new Launch("uvgl_gather_rows_f32", LaunchShape.perRow(count, (d & 3) == 0 ? d / 4 : d),
                new KernelArgs().ptr(out).ptr(x).ptr(rows).i32(count).i32(d));
    }

    /** out = x with its axes permuted, as the plan (merged axes, at most PermutePlan.MAX_RANK) says. */
    public static Launch permute(long out, long x, long n, PermutePlan plan) {
        KernelArgs args = new KernelArgs().ptr(out).ptr(x).i64(n);
        for (int dim : plan.dims()) args.i32(dim);
        for (int st : plan.strides()) args.i32(st);
        return new Launch("uvgl_permute_f32", LaunchShape.perThread(n), args);
    }
}
