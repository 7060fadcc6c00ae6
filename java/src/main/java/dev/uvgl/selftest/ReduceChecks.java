package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.ReduceKernels;
import dev.uvgl.backend.cuda.ReducePlan;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Shape;

import java.util.SplittableRandom;

/**
 * The two-pass sums of reduce.cu. The partial kernels sum floats in double, so against a double sum of
 * the same slice they agree to about the slice length x 2^-53 of sum |x|; the finishing pass rounds to
 * float once (2^-24 of the result's scale). The broadcast is a copy or one multiply: exact.
 */
final class ReduceChecks {
    private ReduceChecks() {}

    /** {rows, cols}: contiguous rows, several slices when cols > 2048. */
    static final KernelCheck ROWS_PARTIAL = new OpCheck("uvgl_reduce_rows_partial_f32", 1e-12, "|d|/sum|x| per slice",
            OpCheck.shapes(new int[] {1, 1}, new int[] {3, 4099}),
            OpCheck.shapes(new int[] {1, 1}, new int[] {5, 7}, new int[] {3, 4099}, new int[] {2, 8192},
                    new int[] {1, 20001})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], cols = shape[1];
            float[] x = KernelCheck.random(new SplittableRandom(seed), rows * cols, -2, 2);
            ReducePlan plan = ReducePlan.rows(cols);
            int segs = rows * plan.splits();
            double[] ref = new double[segs], scale = new double[segs];
            for (int row = 0; row < rows; row++)
                for (int s = 0; s < plan.splits(); s++)
                    for (int col = s * plan.chunk(); col < Math.min(cols, (s + 1) * plan.chunk()); col++) {
                        ref[row * plan.splits() + s] += x[row * cols + col];
                        scale[row * plan.splits() + s] += Math.abs(x[row * cols + col]);
                    }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(2 * segs), xi = c.in(x);
                c.run(ReduceKernels.rowsPartial(c.address(out), c.address(xi), rows, cols, plan));
                return new Run(maxScaledError(doubles(c.read(out)), ref, scale), c.outputs());
            }
        }
    };

    /** {outer, n, inner}: strided columns, split along n into slices. */
    static final KernelCheck COLS_PARTIAL = new OpCheck("uvgl_reduce_cols_partial_f32", 1e-12, "|d|/sum|x| per slice",
            OpCheck.shapes(new int[] {1, 5, 3}, new int[] {3, 301, 7}),
            OpCheck.shapes(new int[] {1, 1, 2}, new int[] {1, 5, 3}, new int[] {3, 301, 7}, new int[] {2, 49, 96},
                    new int[] {1, 4099, 5})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], n = shape[1], inner = shape[2], outputs = outer * inner;
            float[] x = KernelCheck.random(new SplittableRandom(seed), outer * n * inner, -2, 2);
            ReducePlan plan = ReducePlan.columns(outputs, n);
            double[] ref = new double[outputs * plan.splits()], scale = new double[ref.length];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    for (int s = 0; s < plan.splits(); s++)
                        for (int k = s * plan.chunk(); k < Math.min(n, (s + 1) * plan.chunk()); k++) {
                            float v = x[(o * n + k) * inner + i];
                            ref[(o * inner + i) * plan.splits() + s] += v;
                            scale[(o * inner + i) * plan.splits() + s] += Math.abs(v);
                        }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(2 * ref.length), xi = c.in(x);
                c.run(ReduceKernels.colsPartial(c.address(out), c.address(xi), outer, n, inner, plan));
                return new Run(maxScaledError(doubles(c.read(out)), ref, scale), c.outputs());
            }
        }
    };

    /** {count, splits, divisor}: doubles summed per output, divided, rounded to float once. */
    static final KernelCheck FINISH = new OpCheck("uvgl_reduce_finish_f32", 1.2e-7, "|d|/(sum|p|/divisor)",
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {7, 45, 3}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {7, 45, 3}, new int[] {100, 3, 1}, new int[] {3, 1000, 49},
                    new int[] {33, 64, 7})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int count = shape[0], splits = shape[1], divisor = shape[2];
            SplittableRandom r = new SplittableRandom(seed);
            double[] p = new double[count * splits];
            for (int i = 0; i < p.length; i++) p[i] = truncated(r.nextDouble(-100, 100));
            double[] ref = new double[count], scale = new double[count];
            for (int j = 0; j < count; j++) {
                double s = 0, m = 0;
                for (int k = 0; k < splits; k++) { s += p[j * splits + k]; m += Math.abs(p[j * splits + k]); }
                ref[j] = s / divisor;
                scale[j] = m / divisor;
            }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(count), pi = c.in(doublePairs(p));
                c.run(ReduceKernels.finish(c.address(out), c.address(pi), count, splits, divisor));
                float[] got = c.read(out);
                double[] g = new double[count];
                for (int j = 0; j < count; j++) g[j] = got[j];
                return new Run(maxScaledError(g, ref, scale), c.outputs());
            }
        }
    };

    /**
     * {outer, n, inner, scaled}: the backward of sum (scale 1)
     * and of the global average pool (scale 1/n, with H*W = n).
     */
    static final KernelCheck BROADCAST = new OpCheck("uvgl_broadcast_mid_f32", 0, "exact",
            OpCheck.shapes(new int[] {2, 3, 5, 0}, new int[] {3, 49, 7, 1}),
            OpCheck.shapes(new int[] {1, 1, 1, 0}, new int[] {2, 3, 5, 0}, new int[] {3, 1, 4099, 0},
                    new int[] {3, 49, 7, 1}, new int[] {2, 16, 96, 1})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], n = shape[1], inner = shape[2];
            boolean pool = shape[3] == 1;
            float[] g = KernelCheck.random(new SplittableRandom(seed), outer * inner, -3, 3);
            float scale = pool ? (float) (1.0 / n) : 1f;
            float[] ref = ref(pool ? CPU.globalAvgPoolBackward(cpu(g, outer, inner), Shape.of(outer, n, 1, inner))
                    : CPU.broadcastAlong(cpu(g, outer, inner), Shape.of(outer, n, inner), 1));
            long total = (long) outer * n * inner;
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out((int) total), gi = c.in(g);
                c.run(ReduceKernels.broadcastMiddle(c.address(out), c.address(gi), total, n, inner, scale));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
            }
        }
    };
}
