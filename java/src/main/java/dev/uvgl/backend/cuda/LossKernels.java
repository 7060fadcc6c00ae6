package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/** loss.cu: softmax cross-entropy with int32 labels and the KL divergence to the uniform distribution. */
public final class LossKernels {
    private LossKernels() {}

    /** probs and the per-row loss of logits x invT, one block per row; the mean is a reduction. */
    public static Launch softmaxXent(long probs, long rowLoss, long logits, long labels, int rows, int d, float invT) {
        return new Launch("uvgl_softmax_xent_f32", LaunchShape.perRow(rows, d),
                new KernelArgs().ptr(probs).ptr(rowLoss).ptr(logits).ptr(labels).i32(rows).i32(d).f32(invT));
    }

    /** dx = (probs - onehot) gLoss scale, scale = 1 / (rows T). */
    public static Launch softmaxXentBackward(long dx, long probs, long labels, long gLoss, int rows, int d,
                                             float scale) {
        return new Launch("uvgl_softmax_xent_bwd_f32", LaunchShape.perThread((long) rows * d),
                new KernelArgs().ptr(dx).ptr(probs).ptr(labels).ptr(gLoss).i32(rows).i32(d).f32(scale));
    }

    /** Slice sums (double) of -log(d p) over the n elements of rows of d; finished by ReduceKernels.finish. */
    public static Launch klUniformPartial(long partial, long p, int n, int d, ReducePlan plan) {
        return new Launch("uvgl_kl_uniform_partial_f32", LaunchShape.perWarp(plan.splits()),
                new KernelArgs().ptr(partial).ptr(p).i32(n).i32(d).i32(plan.splits()).i32(plan.chunk()));
    }

    /** dp = -gLoss scale / p, scale = 1 / (d rows). */
    public static Launch klUniformBackward(long dp, long p, long gLoss, long n, float scale) {
        return new Launch("uvgl_kl_uniform_bwd_f32", LaunchShape.perThread(n),
                new KernelArgs().ptr(dp).ptr(p).ptr(gLoss).i64(n).f32(scale));
    }
}
