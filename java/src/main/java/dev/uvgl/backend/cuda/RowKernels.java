package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/** softmax.cu and l2norm.cu: one block per row of the last axis, rows of d elements. */
public final class RowKernels {
    private RowKernels() {}

    public static Launch softmax(long out, long x, int rows, int d) {
        return launch("uvgl_softmax_f32", rows, d, new KernelArgs().ptr(out).ptr(x).i32(rows).i32(d).f32(1f));
    }

    public static Launch logSoftmax(long out, long x, int rows, int d) {
        return launch("uvgl_log_softmax_f32", rows, d, new KernelArgs().ptr(out).ptr(x).i32(rows).i32(d).f32(1f));
    }

    /** dx from the forward's output y and gy. */
    public static Launch softmaxBackward(long dx, long y, long gy, int rows, int d) {
        return launch("uvgl_softmax_bwd_f32", rows, d, new KernelArgs().ptr(dx).ptr(y).ptr(gy).i32(rows).i32(d));
    }

    public static Launch logSoftmaxBackward(long dx, long y, long gy, int rows, int d) {
        return launch("uvgl_log_softmax_bwd_f32", rows, d, new KernelArgs().ptr(dx).ptr(y).ptr(gy).i32(rows).i32(d));
    }

    /** x / max(|x|, eps) per row. */
    public static Launch l2Normalize(long out, long x, int rows, int d, float eps) {
        return launch("uvgl_l2norm_f32", rows, d, new KernelArgs().ptr(out).ptr(x).i32(rows).i32(d).f32(eps));
    }

    public static Launch l2NormalizeBackward(long dx, long x, long gy, int rows, int d, float eps) {
        return launch("uvgl_l2norm_bwd_f32", rows, d,
                new KernelArgs().ptr(dx).ptr(x).ptr(gy).i32(rows).i32(d).f32(eps));
    }

    private static Launch launch(String kernel, int rows, int d, KernelArgs args) {
        return new Launch(kernel, LaunchShape.perRow(rows, d), args);
    }
}
