package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.LossKernels;
import dev.uvgl.backend.cuda.ReducePlan;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Softmax cross-entropy (temperature 0.5) and KL(uniform || p), forward pieces and backwards, against the CPU backend.
 */
final class LossChecks {
    private LossChecks() {}

    private static final java.util.List<int[]> QUICK = OpCheck.shapes(new int[] {1, 1}, new int[] {5, 33});
    private static final java.util.List<int[]> FULL = OpCheck.shapes(new int[] {1, 1}, new int[] {3, 7},
            new int[] {5, 33}, new int[] {4, 300}, new int[] {64, 97});
    static final double T = 0.5;

    private static int[] labels(SplittableRandom r, int rows, int d) {
        int[] l = new int[rows];
        for (int i = 0; i < rows; i++) l[i] = r.nextInt(d);
        return l;
    }

    /**
     * probs and the per-row loss logSumExp(x / T) - x[label] / T: float logits / T (|x / T| <= 8 here) carry
     * about 8 x 2^-24 absolute error before exp and log, so 1e-5 of max(|ref|, 1).
     */
    static final KernelCheck XENT = new OpCheck("uvgl_softmax_xent_f32", 1e-5,
            "|d|/max(|ref|,1) on probs and row losses", QUICK, FULL) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = KernelCheck.random(r, rows * d, -4, 4);
            int[] lab = labels(r, rows, d);
            float[] probs = ref(CPU.softmaxCrossEntropy(cpu(x, rows, d), lab, T)[1]);
            float[] rowLoss = new float[rows];
            for (int i = 0; i < rows; i++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int j = 0; j < d; j++) m = Math.max(m, x[i * d + j] / T);
                for (int j = 0; j < d; j++) s += Math.exp(x[i * d + j] / T - m);
                rowLoss[i] = (float) (Math.log(s) + m - x[i * d + lab[i]] / T);
            }
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int p = c.out(rows * d), l = c.out(rows), xi = c.in(x), li = c.inInts(lab);
                c.run(LossKernels.softmaxXent(c.address(p), c.address(l), c.address(xi), c.address(li), rows, d,
                        (float) (1 / T)));
                return new Run(Math.max(KernelCheck.maxRelError(c.read(p), probs, 1),
                        KernelCheck.maxRelError(c.read(l), rowLoss, 1)), c.outputs());
            }
        }
    };

    static final KernelCheck XENT_BACKWARD = new OpCheck("uvgl_softmax_xent_bwd_f32", 1e-6, "|d|/max(|ref|,1)",
            QUICK, FULL) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1];
            SplittableRandom r = new SplittableRandom(seed);
            float[] probs = ref(CPU.softmax(cpu(KernelCheck.random(r, rows * d, -4, 4), rows, d)));
            int[] lab = labels(r, rows, d);
            float g = 0.7f;
            float[] ref = ref(CPU.softmaxCrossEntropyBackward(cpu(probs, rows, d), lab, T,
                    CPU.fromArray(new float[] {g}, Shape.of())));
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int out = c.out(rows * d), pi = c.in(probs), li = c.inInts(lab), gi = c.in(new float[] {g});
                c.run(LossKernels.softmaxXentBackward(c.address(out), c.address(pi), c.address(li), c.address(gi), rows,
                        d, (float) (1 / (rows * T))));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
            }
        }
    };

    /** Slice sums of -log(d p) in double against the same sums in Java: double logs agree to an ulp or two. */
    static final KernelCheck KL_PARTIAL = new OpCheck("uvgl_kl_uniform_partial_f32", 1e-12,
            "|d|/sum|term| per slice", QUICK,
            OpCheck.shapes(new int[] {1, 1}, new int[] {3, 7}, new int[] {5, 33}, new int[] {4, 3000},
                    new int[] {2, 4099})) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1], n = rows * d;
            float[] p = ref(CPU.softmax(cpu(KernelCheck.random(new SplittableRandom(seed), n, -3, 3), rows, d)));
            ReducePlan plan = ReducePlan.rows(n);
            double[] ref = new double[plan.splits()], scale = new double[plan.splits()];
            for (int s = 0; s < plan.splits(); s++)
                for (int i = s * plan.chunk(); i < Math.min(n, (s + 1) * plan.chunk()); i++) {
                    double t = -Math.log((double) d * p[i]);
                    ref[s] += t;
                    scale[s] += Math.abs(t) + 1e-300;
                }
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int out = c.out(2 * plan.splits()), pi = c.in(p);
                c.run(LossKernels.klUniformPartial(c.address(out), c.address(pi), n, d, plan));
                double[] got = doubles(c.read(out));
                double worst = 0;
                for (int s2 = 0; s2 < ref.length; s2++)
                    worst = Math.max(worst, Math.abs(got[s2] - ref[s2]) / Math.max(scale[s2], 1e-12));
                return new Run(Double.isNaN(worst) ? Double.POSITIVE_INFINITY : worst, c.outputs());
            }
        }
    };

    static final KernelCheck KL_BACKWARD = new OpCheck("uvgl_kl_uniform_bwd_f32", 1e-6, "|d|/|ref|", QUICK, FULL) {
        public Run run(Device dev, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], d = shape[1], n = rows * d;
            float[] p = ref(CPU.softmax(cpu(KernelCheck.random(new SplittableRandom(seed), n, -3, 3), rows, d)));
            float g = 1.3f;
            Tensor ref = CPU.klUniformBackward(cpu(p, rows, d), CPU.fromArray(new float[] {g}, Shape.of()));
            try (LaunchCase c = new LaunchCase(dev, a)) {
                int out = c.out(n), pi = c.in(p), gi = c.in(new float[] {g});
                c.run(LossKernels.klUniformBackward(c.address(out), c.address(pi), c.address(gi), n,
                        (float) (1.0 / ((double) d * rows))));
                return new Run(KernelCheck.maxRelError(c.read(out), ref(ref), 1e-30), c.outputs());
            }
        }
    };
}
