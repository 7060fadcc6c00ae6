package dev.uvgl.selftest;

import dev.uvgl.backend.TopK;
import dev.uvgl.backend.cuda.LayoutKernels;
import dev.uvgl.backend.cuda.PermutePlan;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Shape;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Top-k (values and indices), its scatter backward and permute: selections and copies, so exact. */
final class LayoutChecks {
    private LayoutChecks() {}

    /** {rows, d, k}; values on a coarse grid so ties are common, and one NaN per row when d > 4. */
    static final KernelCheck TOPK = new OpCheck("uvgl_topk_f32", 0, "exact values and indices (ties: lower index)",
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {5, 33, 4}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {3, 7, 7}, new int[] {5, 33, 4}, new int[] {4, 300, 10},
                    new int[] {2, 1000, 1})) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1], k = shape[2];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[rows * d];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-8, 8) * 0.25f;
            if (d > 4) for (int i = 0; i < rows; i++) x[i * d + r.nextInt(d)] = Float.NaN;
            TopK ref = CPU.topk(cpu(x, rows, d), k);
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int v = c.out(rows * k), idx = c.outInts(rows * k), xi = c.in(x);
                c.run(LayoutKernels.topk(c.address(v), c.address(idx), c.address(xi), rows, d, k));
                boolean same = Arrays.equals(c.readInts(idx), ref.indices())
                        && KernelCheck.maxRelError(c.read(v), ref(ref.values()), 1e-30) == 0;
                return new Run(same ? 0 : Double.POSITIVE_INFINITY, c.outputs());
            }
        }
    };

    /** {rows, d, k}: indices drawn with repeats, which must accumulate in order. */
    static final KernelCheck TOPK_SCATTER = new OpCheck("uvgl_topk_scatter_f32", 0, "exact",
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {5, 33, 4}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {3, 7, 7}, new int[] {5, 33, 4}, new int[] {300, 20, 5},
                    new int[] {2, 1000, 30})) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1], k = shape[2];
            SplittableRandom r = new SplittableRandom(seed);
            float[] gv = KernelCheck.random(r, rows * k, -2, 2);
            int[] idx = new int[rows * k];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(Math.min(d, 3));
            float[] ref = ref(CPU.topkBackward(cpu(gv, rows, k), idx, Shape.of(rows, d)));
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int dx = c.inout(new float[rows * d]), gi = c.in(gv), ii = c.inInts(idx);
                c.run(LayoutKernels.topkScatter(c.address(dx), c.address(gi), c.address(ii), rows, d, k));
                return new Run(KernelCheck.maxRelError(c.read(dx), ref, 1e-30), c.outputs());
            }
        }
    };

    /** {bank rows, d, gathered}: rows drawn with repeats; odd d takes the scalar path, d % 4 == 0 the float4 one. */
    static final KernelCheck GATHER_ROWS = new OpCheck("uvgl_gather_rows_f32", 0, "exact",
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {50, 320, 64}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {7, 3, 20}, new int[] {50, 320, 64},
                    new int[] {300, 768, 128}, new int[] {1000, 5, 2000})) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0], d = shape[1], b = shape[2];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = KernelCheck.random(r, n * d, -2, 2);
            int[] rows = new int[b];
            for (int i = 0; i < b; i++) rows[i] = r.nextInt(n);
            float[] ref = ref(CPU.gatherRows(cpu(x, n, d), rows));
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int out = c.out(b * d), xi = c.in(x), ri = c.inInts(rows);
                c.run(LayoutKernels.gatherRows(c.address(out), c.address(xi), c.address(ri), b, d));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
            }
        }
    };

    /** Shapes whose reversed permutation merges to at most 6 axes; {2,1,3} keeps a size-1 axis to drop. */
    static final KernelCheck PERMUTE = new OpCheck("uvgl_permute_f32", 0, "exact",
            OpCheck.shapes(new int[] {7, 9}, new int[] {2, 3, 4, 5}),
            OpCheck.shapes(new int[] {5}, new int[] {7, 9}, new int[] {2, 1, 3}, new int[] {2, 3, 4, 5},
                    new int[] {2, 3, 2, 3, 2, 3})) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            Shape xs = Shape.of(shape);
            int rank = shape.length, n = xs.numel();
            int[] perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
            if (rank == 4) perm = new int[] {0, 2, 3, 1};  // NCHW -> NHWC
            float[] x = KernelCheck.random(new SplittableRandom(seed), n, -3, 3);
            float[] ref = ref(CPU.permute(cpu(x, shape), perm));
            PermutePlan plan = PermutePlan.of(xs, perm);
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int out = c.out(n), xi = c.in(x);
                c.run(LayoutKernels.permute(c.address(out), c.address(xi), n, plan));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
            }
        }
    };
}
