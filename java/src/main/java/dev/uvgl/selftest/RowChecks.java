package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.LaunchShape;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Row-wise kernels over the last axis (softmax, log-softmax, L2 normalisation and their backwards) against
 * the CPU backend, which works in double. Float sums of d terms, expf/logf within 2 ulp: the outputs are
 * O(1), so the measure is |d|/max(|ref|,1) with bounds of a few 1e-6.
 */
final class RowChecks {
    private RowChecks() {}

    /** {rows, d} */
    private static final java.util.List<int[]> QUICK = OpCheck.shapes(new int[] {1, 1}, new int[] {5, 33});
    private static final java.util.List<int[]> FULL = OpCheck.shapes(new int[] {1, 1}, new int[] {3, 7},
            new int[] {5, 33}, new int[] {4, 300}, new int[] {2, 1000});

    /** A kernel (out, x[, second], rows, d[, scalar]) checked against a CPU op of (x, second). */
    private static OpCheck rowCheck(String kernel, double bound, boolean withSecond, Float scalar, double lo, double hi,
                                    BiFunction<Tensor, Tensor, Tensor> reference, boolean secondIsSoftmaxOfX,
                                    boolean secondIsLogSoftmaxOfX) {
        return new OpCheck(kernel, bound, "|d|/max(|ref|,1)", QUICK, FULL) {
            public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
                int rows = shape[0], d = shape[1], n = rows * d;
                SplittableRandom r = new SplittableRandom(seed);
                float[] x = KernelCheck.random(r, n, lo, hi), g = KernelCheck.random(r, n, -1, 1);
                // The backwards take the forward's output: feed them the CPU's softmax of x.
                if (secondIsSoftmaxOfX) x = ref(CPU.softmax(cpu(x, rows, d)));
                if (secondIsLogSoftmaxOfX) x = ref(CPU.logSoftmax(cpu(x, rows, d)));
                float[] ref = ref(reference.apply(cpu(x, rows, d), cpu(g, rows, d)));
                try (LaunchCase c = new LaunchCase(dev, a)) {
                    int out = c.out(n);
                    c.in(x);
                    if (withSecond) c.in(g);
                    c.i32(rows).i32(d);
                    if (scalar != null) c.f32(scalar);
                    LaunchShape s = LaunchShape.perRow(rows, d);
                    c.launch(kernel(), s.grid(), s.block(), 0);
                    return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
                }
            }
        };
    }

    static final KernelCheck SOFTMAX = rowCheck("uvgl_softmax_f32", 1e-6, false, 1f, -4, 4,
            (x, g) -> OpCheck.CPU.softmax(x), false, false);
    static final KernelCheck LOG_SOFTMAX = rowCheck("uvgl_log_softmax_f32", 2e-6, false, 1f, -4, 4,
            (x, g) -> OpCheck.CPU.logSoftmax(x), false, false);
    static final KernelCheck SOFTMAX_BACKWARD = rowCheck("uvgl_softmax_bwd_f32", 2e-6, true, null, -4, 4,
            OpCheck.CPU::softmaxBackward, true, false);
    static final KernelCheck LOG_SOFTMAX_BACKWARD = rowCheck("uvgl_log_softmax_bwd_f32", 2e-6, true, null, -4, 4,
            OpCheck.CPU::logSoftmaxBackward, false, true);
    static final KernelCheck L2NORM = rowCheck("uvgl_l2norm_f32", 1e-6, false, 1e-12f, -2, 2,
            (x, g) -> OpCheck.CPU.l2Normalize(x, 1e-12f), false, false);
    /** dx ~ gy / |x|: for d = 1 a tiny |x| makes it large, and its relative error stays that of a few float operations. */
    static final KernelCheck L2NORM_BACKWARD = rowCheck("uvgl_l2norm_bwd_f32", 1e-5, true, 1e-12f, -2, 2,
            (x, g) -> OpCheck.CPU.l2NormalizeBackward(x, g, 1e-12f), false, false);
}
