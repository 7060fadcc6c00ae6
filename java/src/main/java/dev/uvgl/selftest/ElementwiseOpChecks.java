package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.ElementwiseKernels;
import dev.uvgl.backend.cuda.OptimizerKernels;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;

import java.util.SplittableRandom;

/**
 * add/mul with trailing broadcast, affine, GELU and its backward against the CPU backend. add and mul are
 * one IEEE operation per element: exact. The others state their float bound.
 */
final class ElementwiseOpChecks {
    private ElementwiseOpChecks() {}

    /** {rows, inner}: a has rows x inner elements, b the trailing inner (rows 1: same shape). */
    private static final java.util.List<int[]> BROADCAST_QUICK = OpCheck.shapes(new int[] {1, 1}, new int[] {5, 7});
    private static final java.util.List<int[]> BROADCAST_FULL = OpCheck.shapes(new int[] {1, 1}, new int[] {3, 7},
            new int[] {5, 8}, new int[] {1, 4099}, new int[] {33, 64});
    private static final java.util.List<int[]> N_QUICK = OpCheck.shapes(new int[] {1}, new int[] {4099});
    private static final java.util.List<int[]> N_FULL = OpCheck.shapes(new int[] {1}, new int[] {7}, new int[] {4099},
            new int[] {65539});

    private static OpCheck binary(String kernel, boolean multiply) {
        return new OpCheck(kernel, 0, "exact", BROADCAST_QUICK, BROADCAST_FULL) {
            public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
                int rows = shape[0], inner = shape[1], n = rows * inner;
                SplittableRandom r = new SplittableRandom(seed);
                float[] x = KernelCheck.random(r, n, -3, 3), b = KernelCheck.random(r, inner, -3, 3);
                float[] ref = ref(multiply ? CPU.mul(cpu(x, rows, inner), cpu(b, inner))
                        : CPU.add(cpu(x, rows, inner), cpu(b, inner)));
                try (LaunchCase c = new LaunchCase(d, a)) {
                    int out = c.out(n), xi = c.in(x), bi = c.in(b);
                    long o = c.address(out), xa = c.address(xi), ba = c.address(bi);
                    c.run(multiply ? ElementwiseKernels.mul(o, xa, ba, n, inner)
                            : ElementwiseKernels.add(o, xa, ba, n, inner));
                    return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
                }
            }
        };
    }

    static final KernelCheck ADD = binary("uvgl_add_f32", false);
    static final KernelCheck MUL = binary("uvgl_mul_f32", true);

    /**
     * One multiply and one add; a GPU may fuse them (one rounding
     * fewer), so at most an ulp of |scale x| + |shift| apart.
     */
    static final KernelCheck AFFINE = new OpCheck("uvgl_affine_f32", 1.2e-7, "|d|/(|scale x|+|shift|)",
            N_QUICK, N_FULL) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = KernelCheck.random(r, n, -3, 3);
            float scale = 1.7f, shift = -0.3f;
            float[] ref = ref(CPU.affine(cpu(x, n), scale, shift));
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n), xi = c.in(x);
                c.run(ElementwiseKernels.affine(c.address(out), c.address(xi), scale, shift, n));
                float[] got = c.read(out);
                double worst = 0;
                for (int i = 0; i < n; i++) {
                    if (Float.isNaN(got[i])) return new Run(Double.POSITIVE_INFINITY, c.outputs());
                    worst = Math.max(worst, Math.abs(got[i] - ref[i]) / (Math.abs(scale * x[i]) + Math.abs(shift)));
                }
                return new Run(worst, c.outputs());
            }
        }
    };

    /**
     * erff (CUDA: 2 ulp) against the CPU's own float erf; near x = -4 the factor 1 + erf cancels, hence the
     * absolute floor of 1 (8e-7 measured on the emulator, whose erff is glibc's), bound 2e-6.
     */
    static final KernelCheck GELU = new OpCheck("uvgl_gelu_f32", 2e-6, "|d|/max(|ref|,1)", N_QUICK, N_FULL) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            float[] x = KernelCheck.random(new SplittableRandom(seed), n, -6, 6);
            float[] ref = ref(CPU.gelu(cpu(x, n)));
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n), xi = c.in(x);
                c.run(ElementwiseKernels.gelu(c.address(out), c.address(xi), n));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
            }
        }
    };

    static final KernelCheck GELU_BACKWARD = new OpCheck("uvgl_gelu_bwd_f32", 2e-6, "|d|/max(|ref|,1)",
            N_QUICK, N_FULL) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = KernelCheck.random(r, n, -6, 6), gy = KernelCheck.random(r, n, -2, 2);
            float[] ref = ref(CPU.geluBackward(cpu(x, n), cpu(gy, n)));
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n), xi = c.in(x), gi = c.in(gy);
                c.run(ElementwiseKernels.geluBackward(c.address(out), c.address(xi), c.address(gi), n));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
            }
        }
    };

    /** torch.optim.SGD's arithmetic in float; a GPU may fuse the multiply-adds, so an ulp or two of max(|p|, 1). */
    static final KernelCheck SGD = new OpCheck("uvgl_sgd_step_f32", 1e-6, "|d|/max(|ref|,1) on p and buf",
            OpCheck.shapes(new int[] {7, 1}, new int[] {4099, 0}),
            OpCheck.shapes(new int[] {1, 1}, new int[] {7, 1}, new int[] {7, 0}, new int[] {4099, 0},
                    new int[] {65539, 0})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            boolean first = shape[1] == 1;
            SplittableRandom r = new SplittableRandom(seed);
            float[] p = KernelCheck.random(r, n, -1, 1), buf = KernelCheck.random(r, n, -1, 1),
                    g = KernelCheck.random(r, n, -1, 1);
            var tp = cpu(p, n);
            var tb = cpu(buf, n);
            CPU.sgdStepInPlace(tp, cpu(g, n), tb, 0.1, 0.9, 5e-4, first);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int pi = c.inout(p), bi = c.inout(buf), gi = c.in(g);
                c.run(OptimizerKernels.sgd(c.address(pi), c.address(bi), c.address(gi), 0.1f, 0.9f, 5e-4f, first, n));
                return new Run(Math.max(KernelCheck.maxRelError(c.read(pi), ref(tp), 1),
                        KernelCheck.maxRelError(c.read(bi), ref(tb), 1)), c.outputs());
            }
        }
    };

    /**
     * torch.optim.AdamW's arithmetic in float; a GPU may fuse multiply-adds and round sqrt or the division differently.
     */
    static final KernelCheck ADAMW = new OpCheck("uvgl_adamw_step_f32", 2e-6, "|d|/max(|ref|,1) on p, m and v",
            OpCheck.shapes(new int[] {7, 1}, new int[] {4099, 5}),
            OpCheck.shapes(new int[] {1, 1}, new int[] {7, 1}, new int[] {7, 2}, new int[] {4099, 5},
                    new int[] {65539, 1000})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0], t = shape[1];
            SplittableRandom r = new SplittableRandom(seed);
            float[] p = KernelCheck.random(r, n, -1, 1), m = KernelCheck.random(r, n, -0.1, 0.1),
                    g = KernelCheck.random(r, n, -1, 1);
            float[] v = KernelCheck.random(r, n, 0, 0.01);
            double lr = 2e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 1 - lr * 0.05;
            double stepSize = lr / (1 - Math.pow(b1, t)), bc2sqrt = Math.sqrt(1 - Math.pow(b2, t));
            var tp = cpu(p, n);
            var tm = cpu(m, n);
            var tv = cpu(v, n);
            CPU.adamwStepInPlace(tp, cpu(g, n), tm, tv, decay, b1, b2, stepSize, bc2sqrt, eps);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int pi = c.inout(p), mi = c.inout(m), vi = c.inout(v), gi = c.in(g);
                c.run(OptimizerKernels.adamw(c.address(pi), c.address(mi), c.address(vi), c.address(gi), (float) decay,
                        (float) b1, (float) b2, (float) stepSize, (float) bc2sqrt, (float) eps, n));
                double err = Math.max(KernelCheck.maxRelError(c.read(pi), ref(tp), 1),
                        Math.max(KernelCheck.maxRelError(c.read(mi), ref(tm), 1),
                                KernelCheck.maxRelError(c.read(vi), ref(tv), 1)));
                return new Run(err, c.outputs());
            }
        }
    };
}
