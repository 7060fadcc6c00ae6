package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.backend.cuda.ElementwiseKernels;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * fill, copy and axpy: exact kernels, so the bound is zero (axpy's reference is Java's fused Math.fma, as CUDA's fmaf).
 */
final class ElementwiseChecks {
    private ElementwiseChecks() {}

    /** 4,400,011 runs every launch's grid-stride loop more than once (LaunchShape caps the blocks). */
    private static List<int[]> sizes(boolean quick) {
        return quick ? List.of(new int[] {1}, new int[] {4099})
                : List.of(new int[] {0}, new int[] {1}, new int[] {7}, new int[] {4099}, new int[] {65539},
                        new int[] {4_400_011});
    }

    static final KernelCheck FILL = new KernelCheck() {
        public String kernel() { return "uvgl_fill_f32"; }
        public double bound() { return 0; }
        public String measure() { return "exact"; }
        public List<int[]> shapes(boolean quick) { return sizes(quick); }
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            float v = (float) new SplittableRandom(seed).nextDouble(-3, 3);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n);
                c.run(ElementwiseKernels.fill(c.address(out), v, n));
                float[] ref = new float[n];
                Arrays.fill(ref, v);
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1e-30), c.outputs());
            }
        }
    };

    static final KernelCheck COPY = new KernelCheck() {
        public String kernel() { return "uvgl_copy_f32"; }
        public double bound() { return 0; }
        public String measure() { return "exact"; }
        public List<int[]> shapes(boolean quick) { return sizes(quick); }
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            float[] x = KernelCheck.random(new SplittableRandom(seed), n, -5, 5);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(n), in = c.in(x);
                c.run(ElementwiseKernels.copy(c.address(out), c.address(in), n));
                return new Run(KernelCheck.maxRelError(c.read(out), x, 1e-30), c.outputs());
            }
        }
    };

    static final KernelCheck AXPY = new KernelCheck() {
        public String kernel() { return "uvgl_axpy_f32"; }
        public double bound() { return 0; }
        public String measure() { return "exact vs Math.fma"; }
        public List<int[]> shapes(boolean quick) { return sizes(quick); }
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int n = shape[0];
            SplittableRandom r = new SplittableRandom(seed);
            float[] y = KernelCheck.random(r, n, -5, 5), x = KernelCheck.random(r, n, -5, 5);
            float alpha = (float) r.nextDouble(-2, 2);
            try (LaunchCase c = new LaunchCase(d, a)) {
                int yi = c.inout(y), xi = c.in(x);
                c.run(ElementwiseKernels.axpy(c.address(yi), c.address(xi), alpha, n));
                float[] ref = new float[n];
                for (int i = 0; i < n; i++) ref[i] = Math.fma(alpha, x[i], y[i]);
                return new Run(KernelCheck.maxRelError(c.read(yi), ref, 1e-30), c.outputs());
            }
        }
    };
}
