package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.dmnil.memory.cuda.MemoryKernels;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The fused memory cross-entropy's four kernels, each against a float64 re-computation of what it owns:
 * the per-split log-sum-exp, the split merge with the label logit and the mean loss, the per-split dx, and
 * the split sum. Inputs are unit rows (as the memories hold) and tau = 0.05, so logits reach +-20.
 * Shapes name the memory's split: tiles of 64 memory rows per split, C not a multiple of 64.
 */
final class MemoryCrossEntropyChecks {
    private MemoryCrossEntropyChecks() {}

    static final double TAU = 0.05;
    private static final int TILE = MemoryKernels.CE_TILE;

    /** Float32 dot products of length <= 800 scaled by 20: a few 1e-6 of a logit; bound 1e-5 of max(|lse|, 1). */
    static final KernelCheck FORWARD_PARTIAL = new KernelCheck() {
        public String kernel() { return "uvgl_memory_ce_fwd_partial_f32"; }
        public double bound() { return 1e-5; }
        public String measure() { return "|d|/max(|ref|,1) on each split's max + log(sum)"; }
        public List<int[]> shapes(boolean quick) {
            // batch, classes, dim, tiles per split
            return quick ? List.of(new int[] {5, 70, 36, 1}, new int[] {65, 130, 20, 2})
                    : List.of(new int[] {1, 1, 8, 1}, new int[] {5, 70, 36, 1}, new int[] {65, 200, 33, 2},
                            new int[] {3, 300, 768, 5}, new int[] {20, 129, 17, 1});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int batch = s[0], classes = s[1], dim = s[2], per = s[3];
            int splits = MemoryInputs.ceilDiv(MemoryInputs.ceilDiv(classes, TILE), per);
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = MemoryInputs.unitRows(r, batch, dim), m = MemoryInputs.unitRows(r, classes, dim);
            float[] ref = new float[splits * batch];
            for (int p = 0; p < splits; p++)
                for (int i = 0; i < batch; i++) {
                    int c0 = p * per * TILE, c1 = Math.min(classes, (p + 1) * per * TILE);
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = c0; j < c1; j++) max = Math.max(max, MemoryInputs.dot(x, i, m, j, dim) / TAU);
                    for (int j = c0; j < c1; j++) sum += Math.exp(MemoryInputs.dot(x, i, m, j, dim) / TAU - max);
                    ref[p * batch + i] = (float) (max + Math.log(sum));
                }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(2 * splits * batch), xi = c.in(x), mi = c.in(m);
                c.run(MemoryKernels.ceForwardPartial(c.address(out), c.address(xi), c.address(mi), batch, classes, dim,
                        per, (float) (1 / TAU)));
                float[] pm = c.read(out), got = new float[splits * batch];
                for (int k = 0; k < got.length; k++) got[k] = (float) (pm[2 * k] + Math.log(pm[2 * k + 1]));
                return new Run(KernelCheck.maxRelError(got, ref, 1), c.outputs());
            }
        }
    };

    /** Merges in float of at most a few hundred partials and one dot product: bound 1e-5 of max(|ref|, 1). */
    static final KernelCheck FORWARD_FINISH = new KernelCheck() {
        public String kernel() { return "uvgl_memory_ce_fwd_finish_f32"; }
        public double bound() { return 1e-5; }
        public String measure() { return "|d|/max(|ref|,1) on loss and log-sum-exp"; }
        public List<int[]> shapes(boolean quick) {
            // batch, classes, dim, splits
            return quick ? List.of(new int[] {5, 30, 36, 3}, new int[] {40, 90, 20, 1})
                    : List.of(new int[] {1, 1, 8, 1}, new int[] {5, 30, 36, 3}, new int[] {128, 700, 64, 70},
                            new int[] {9, 40, 768, 33});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int batch = s[0], classes = s[1], dim = s[2], splits = s[3];
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = MemoryInputs.unitRows(r, batch, dim), m = MemoryInputs.unitRows(r, classes, dim);
            int[] y = MemoryInputs.labels(r, batch, classes, true);
            float[] partial = new float[2 * splits * batch];
            for (int k = 0; k < splits * batch; k++) {
                partial[2 * k] = (float) r.nextDouble(-5, 25);
                partial[2 * k + 1] = (float) r.nextDouble(1, 60);
            }
            float[] ref = new float[1 + batch];
            double loss = 0;
            for (int i = 0; i < batch; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int p = 0; p < splits; p++) max = Math.max(max, partial[2 * (p * batch + i)]);
                for (int p = 0; p < splits; p++)
                    sum += partial[2 * (p * batch + i) + 1] * Math.exp(partial[2 * (p * batch + i)] - max);
                double lse = max + Math.log(sum);
                ref[1 + i] = (float) lse;
                loss += lse - MemoryInputs.dot(x, i, m, y[i], dim) / TAU;
            }
            ref[0] = (float) (loss / batch);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int lossOut = c.out(1), lseOut = c.out(batch);
                int pi = c.in(partial), xi = c.in(x), mi = c.in(m), yi = c.inInts(y);
                c.run(MemoryKernels.ceForwardFinish(c.address(lossOut), c.address(lseOut), c.address(pi), c.address(xi),
                        c.address(mi), c.address(yi), batch, classes, dim, splits, (float) (1 / TAU)));
                float[] got = new float[1 + batch];
                got[0] = c.read(lossOut)[0];
                System.arraycopy(c.read(lseOut), 0, got, 1, batch);
                return new Run(KernelCheck.maxRelError(got, ref, 1), c.outputs());
            }
        }
    };

    /**
     * dx against float64, normwise: max |d| over max |ref|, floored at g / (B tau) max |M|, the size of one
     * full softmax term (dx sums terms of both signs, so entries, or with C = 1 all of dx, may cancel to
     * near zero). Float logits feed exp, which scales their ~1e-6 error: bound 2e-5. The softmax comes from
     * one memory and multiplies another (a moved copy of it), so a kernel that mixes the two fails.
     */
    static final KernelCheck BACKWARD_PARTIAL = new KernelCheck() {
        public String kernel() { return "uvgl_memory_ce_bwd_partial_f32"; }
        public double bound() { return 2e-5; }
        public String measure() { return "max|d|/max(max|ref|, g/(B tau) max|M|) on each split's dx"; }
        public List<int[]> shapes(boolean quick) {
            // batch, classes, dim, tiles per split
            return quick ? List.of(new int[] {5, 70, 36, 1}, new int[] {17, 130, 20, 1})
                    : List.of(new int[] {1, 1, 8, 1}, new int[] {5, 70, 36, 1}, new int[] {17, 200, 33, 2},
                            new int[] {3, 100, 800, 1}, new int[] {20, 129, 17, 3});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int batch = s[0], classes = s[1], dim = s[2], per = s[3];
            int splits = MemoryInputs.ceilDiv(MemoryInputs.ceilDiv(classes, TILE), per);
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = MemoryInputs.unitRows(r, batch, dim), m = MemoryInputs.unitRows(r, classes, dim);
            int[] y = MemoryInputs.labels(r, batch, classes, true);
            float g = (float) r.nextDouble(0.5, 2);
            float[] moved = MemoryInputs.unitRows(r, classes, dim);
            double[][] z = new double[batch][classes];
            float[] lse = new float[batch];
            for (int i = 0; i < batch; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < classes; j++) {
                    z[i][j] = MemoryInputs.dot(x, i, m, j, dim) / TAU;
                    max = Math.max(max, z[i][j]);
                }
                for (int j = 0; j < classes; j++) sum += Math.exp(z[i][j] - max);
                lse[i] = (float) (max + Math.log(sum));
            }
            float[] ref = new float[splits * batch * dim];
            double coef = g / (batch * TAU);
            for (int p = 0; p < splits; p++)
                for (int i = 0; i < batch; i++)
                    for (int j = p * per * TILE; j < Math.min(classes, (p + 1) * per * TILE); j++) {
                        double pj = coef * (Math.exp(z[i][j] - lse[i]) - (j == y[i] ? 1 : 0));
                        for (int k = 0; k < dim; k++)
                            ref[(p * batch + i) * dim + k] += (float) (pj * moved[j * dim + k]);
                    }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(splits * batch * dim), xi = c.in(x), mi = c.in(m), pi = c.in(moved),
                        yi = c.inInts(y), li = c.in(lse), gi = c.in(new float[] {g});
                c.run(MemoryKernels.ceBackwardPartial(c.address(out), c.address(xi), c.address(mi), c.address(pi),
                        c.address(yi), c.address(li), c.address(gi), batch, classes, dim, per, (float) (1 / TAU)));
                double maxM = 0;
                for (float v : moved) maxM = Math.max(maxM, Math.abs(v));
                return new Run(normwise(c.read(out), ref, coef * maxM), c.outputs());
            }
        }
    };

    /** Float sums in split order, the same order as the Java reference: exact. */
    static final KernelCheck BACKWARD_REDUCE = new KernelCheck() {
        public String kernel() { return "uvgl_memory_ce_bwd_reduce_f32"; }
        public double bound() { return 0; }
        public String measure() { return "exact vs the in-order float sum"; }
        public List<int[]> shapes(boolean quick) {
            return quick ? List.of(new int[] {1, 1}, new int[] {1000, 7})
                    : List.of(new int[] {1, 1}, new int[] {1000, 7}, new int[] {70001, 3}, new int[] {33, 264},
                            new int[] {300007, 2});  // past the 1056 blocks of gridFor: the loop runs twice
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int n = s[0], splits = s[1];
            float[] partial = KernelCheck.random(new SplittableRandom(seed), n * splits, -1, 1);
            float[] ref = new float[n];
            for (int i = 0; i < n; i++) {
                float t = 0;
                for (int p = 0; p < splits; p++) t += partial[p * n + i];
                ref[i] = t;
            }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n), pi = c.in(partial);
                c.run(MemoryKernels.ceBackwardReduce(c.address(out), c.address(pi), n, splits));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
            }
        }
    };

    static double normwise(float[] got, float[] ref, double floor) {
        if (got.length != ref.length)
            throw new IllegalStateException(got.length + " outputs, reference has " + ref.length);
        double worst = 0, scale = floor;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i])) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs((double) got[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return worst / Math.max(scale, 1e-30);
    }
}
