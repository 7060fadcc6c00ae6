package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/**
 * layernorm.cu over one axis of [outer, C, inner]: the last axis (inner 1) one warp per row, a middle axis one
 * thread per (outer, inner) row striding over C; the parameter gradients as per-channel partial sums in double
 * that {@link ReduceKernels#finish} completes.
 */
public final class LayerNormKernels {
    private LayerNormKernels() {}

    /** y, mean[rows], rstd[rows] over the last axis of [rows, c]. */
    public static Launch forward(long y, long mean, long rstd, long x, long gamma, long beta, int rows, int c,
                                 float eps) {
        return new Launch("uvgl_layernorm_fwd_f32", LaunchShape.perWarp(rows),
                normArgs(y, mean, rstd, x, gamma, beta).i32(rows).i32(c).f32(eps));
    }

    /** The same over the middle axis of [outer, c, inner]; mean and rstd are [outer * inner]. */
    public static Launch forwardStrided(long y, long mean, long rstd, long x, long gamma, long beta, int outer, int c,
                                        int inner, float eps) {
        return new Launch("uvgl_layernorm_fwd_strided_f32", LaunchShape.perThread((long) outer * inner),
                normArgs(y, mean, rstd, x, gamma, beta).i32(outer).i32(c).i32(inner).f32(eps));
    }

    /** dx over the last axis of [rows, c], from the forward's mean and rstd. */
    public static Launch backwardDx(long dx, long x, long gamma, long mean, long rstd, long gy, int rows, int c) {
        return new Launch("uvgl_layernorm_bwd_dx_f32", LaunchShape.perWarp(rows),
                normArgs(dx, x, gamma, mean, rstd, gy).i32(rows).i32(c));
    }

    public static Launch backwardDxStrided(long dx, long x, long gamma, long mean, long rstd, long gy, int outer, int c,
                                           int inner) {
        return new Launch("uvgl_layernorm_bwd_dx_strided_f32", LaunchShape.perThread((long) outer * inner),
                normArgs(dx, x, gamma, mean, rstd, gy).i32(outer).i32(c).i32(inner));
    }

    /** Per (channel, slice of rows) sums of gy xhat and of gy, in double, split as plan says. */
    public static Launch backwardParamsPartial(long partialGamma, long partialBeta, long x, long mean, long rstd,
                                               long gy, int outer, int c, int inner, ReducePlan plan) {
        return new Launch("uvgl_layernorm_bwd_params_partial_f32", LaunchShape.perThread((long) c * plan.splits()),
                new KernelArgs().ptr(partialGamma).ptr(partialBeta).ptr(x).ptr(mean).ptr(rstd).ptr(gy)
                        .i32(outer).i32(c).i32(inner).i32(plan.splits()).i32(plan.chunk()));
    }

    private static KernelArgs normArgs(long a, long b, long c, long d, long e, long f) {
        return new KernelArgs().ptr(a).ptr(b).ptr(c).ptr(d).ptr(e).ptr(f);
    }
}
