package dev.uvgl.selftest;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.LayerNormKernels;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * LayerNorm forward over the last dimension against the CPU backend's layerNorm (which sums in double).
 * Error: |got-ref| / max(|ref|, 1) over y, mean and rstd; bound 2e-5, float sums of up to ~1000 terms.
 */
final class LayerNormCheck implements KernelCheck {
    static final float EPS = 1e-5f;

    public String kernel() { return "uvgl_layernorm_fwd_f32"; }
    public double bound() { return 2e-5; }
    public String measure() { return "|d|/max(|ref|,1) on y, mean, rstd"; }
    public List<int[]> shapes(boolean quick) {
        return quick ? List.of(new int[] {3, 1}, new int[] {33, 97})
                : List.of(new int[] {1, 1}, new int[] {7, 33}, new int[] {64, 96}, new int[] {33, 768},
                        new int[] {5, 1000});
    }

    public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
        int rows = shape[0], cols = shape[1];
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = KernelCheck.random(r, rows * cols, -2, 3), gamma = KernelCheck.random(r, cols, 0.5, 1.5),
                beta = KernelCheck.random(r, cols, -1, 1);
        CpuBackend cpu = CpuBackend.INSTANCE;
        Tensor[] ref = cpu.layerNorm(cpu.fromArray(x, Shape.of(rows, cols)), cpu.fromArray(gamma, Shape.of(cols)),
                cpu.fromArray(beta, Shape.of(cols)), -1, EPS);
        try (LaunchCase c = new LaunchCase(d, a)) {
            int y = c.out(rows * cols), mean = c.out(rows), rstd = c.out(rows);
            int xi = c.in(x), gi = c.in(gamma), bi = c.in(beta);
            c.run(LayerNormKernels.forward(c.address(y), c.address(mean), c.address(rstd), c.address(xi),
                    c.address(gi), c.address(bi), rows, cols, EPS));
            double err = Math.max(KernelCheck.maxRelError(c.read(y), ref[0].toFloatArray(), 1),
                    Math.max(KernelCheck.maxRelError(c.read(mean), ref[1].toFloatArray(), 1),
                            KernelCheck.maxRelError(c.read(rstd), ref[2].toFloatArray(), 1)));
            return new Run(err, c.outputs());
        }
    }
}
