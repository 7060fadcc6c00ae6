package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/** adamw.cu and sgd.cu: torch.optim's arithmetic in float, in place, four elements per thread. */
public final class OptimizerKernels {
    private OptimizerKernels() {}

    /** One AdamW step; decay = 1 - lr wd, stepSize = lr / (1 - beta1^t), bc2sqrt = sqrt(1 - beta2^t). */
    public static Launch adamw(long param, long m, long v, long grad, float decay, float beta1, float beta2,
                               float stepSize, float bc2sqrt, float eps, long n) {
        return new Launch("uvgl_adamw_step_f32", LaunchShape.perFloat4(n),
                new KernelArgs().ptr(param).ptr(m).ptr(v).ptr(grad).f32(decay).f32(beta1).f32(beta2).f32(stepSize)
                        .f32(bc2sqrt).f32(eps).i64(n));
    }

    /** One SGD step with momentum and weight decay; the first step sets the buffer to the gradient. */
    public static Launch sgd(long param, long buffer, long grad, float lr, float momentum, float weightDecay,
                             boolean firstStep, long n) {
        return new Launch("uvgl_sgd_step_f32", LaunchShape.perFloat4(n),
                new KernelArgs().ptr(param).ptr(buffer).ptr(grad).f32(lr).f32(momentum).f32(weightDecay)
                        .i32(firstStep ? 1 : 0).i64(n));
    }

    /** sgd over every parameter of an uploaded {@link SgdTable}, one grid row per parameter. */
    public static Launch sgdAll(long table, SgdTable layout, float lr, float momentum, float weightDecay,
                                boolean firstStep) {
        return new Launch("uvgl_sgd_step_all_f32", layout.launchShape(),
                new KernelArgs().ptr(table).f32(lr).f32(momentum).f32(weightDecay).i32(firstStep ? 1 : 0));
    }
}
