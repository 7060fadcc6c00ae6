package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.backend.cuda.RowKernels;
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

    /** The shipped launch of a row kernel on (out, x, second) addresses; second is unused by the forwards. */
    private interface RowLaunch { Launch of(long out, long x, long second, int rows, int d); }

    /** A row kernel checked against a CPU op of (x, second). */
    private static OpCheck rowCheck(String kernel, double bound, double lo, double hi, RowLaunch launch,
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
                    int out = c.out(n), xi = c.in(x), gi = c.in(g);
                    c.run(launch.of(c.address(out), c.address(xi), c.address(gi), rows, d));
                    return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
                }
            }
        };
    }

    static final KernelCheck SOFTMAX = rowCheck("uvgl_softmax_f32", 1e-6, -4, 4,
            (o, x, g, rows, d) -> RowKernels.softmax(o, x, rows, d), (x, g) -> OpCheck.CPU.softmax(x), false, false);
    static final KernelCheck LOG_SOFTMAX = rowCheck("uvgl_log_softmax_f32", 2e-6, -4, 4,
            (o, x, g, rows, d) -> RowKernels.logSoftmax(o, x, rows, d), (x, g) -> OpCheck.CPU.logSoftmax(x),
            false, false);
    static final KernelCheck SOFTMAX_BACKWARD = rowCheck("uvgl_softmax_bwd_f32", 2e-6, -4, 4,
            RowKernels::softmaxBackward, OpCheck.CPU::softmaxBackward, true, false);
    static final KernelCheck LOG_SOFTMAX_BACKWARD = rowCheck("uvgl_log_softmax_bwd_f32", 2e-6, -4, 4,
            RowKernels::logSoftmaxBackward, OpCheck.CPU::logSoftmaxBackward, false, true);
    static final KernelCheck L2NORM = rowCheck("uvgl_l2norm_f32", 1e-6, -2, 2,
            (o, x, g, rows, d) -> RowKernels.l2Normalize(o, x, rows, d, 1e-12f),
            (x, g) -> OpCheck.CPU.l2Normalize(x, 1e-12f), false, false);
    /**
     * dx ~ gy / |x|: for d = 1 a tiny |x| makes it large, and its relative error stays that of a few float operations.
     */
    static final KernelCheck L2NORM_BACKWARD = rowCheck("uvgl_l2norm_bwd_f32", 1e-5, -2, 2,
            (o, x, g, rows, d) -> RowKernels.l2NormalizeBackward(o, x, g, rows, d, 1e-12f),
            (x, g) -> OpCheck.CPU.l2NormalizeBackward(x, g, 1e-12f), false, false);
}
