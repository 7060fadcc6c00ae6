package dev.uvgl.selftest;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.dmnil.memory.cuda.MemoryKernels;
import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The in-order momentum memory update against the CPU op memoryMomentumUpdateInPlace (its sequential loop),
 * with batches where every label repeats. The kernel rounds as the CPU does and sums the norm in double,
 * so it differs only where a float norm sits on a rounding boundary: bound 4 float ulps of a row entry.
 * Shapes: batch, memory rows, dim, every label repeats (0/1).
 */
final class MemoryMomentumCheck implements KernelCheck {
    public String kernel() { return "uvgl_memory_momentum_f32"; }
    public double bound() { return 5e-7; }
    public String measure() { return "|d|/max(|ref|,1e-3) on the memory"; }
    public List<int[]> shapes(boolean quick) {
        return quick ? List.of(new int[] {9, 4, 33, 1}, new int[] {16, 20, 100, 0})
                : List.of(new int[] {1, 1, 7, 0}, new int[] {9, 4, 100, 1}, new int[] {64, 16, 768, 1},
                        new int[] {33, 50, 257, 0}, new int[] {40, 3, 5, 1});
    }

    public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
        int batch = shape[0], rows = shape[1], dim = shape[2];
        SplittableRandom r = new SplittableRandom(seed);
        float[] memory = MemoryInputs.unitRows(r, rows, dim);
        float[] x = KernelCheck.random(r, batch * dim, -1, 1);
        int[] y = MemoryInputs.labels(r, batch, rows, shape[3] == 1);
        double momentum = 0.2;
        CpuBackend cpu = CpuBackend.INSTANCE;
        Tensor ref = cpu.fromArray(memory.clone(), Shape.of(rows, dim));
        BackendMemoryOps.of(cpu).memoryMomentumUpdateInPlace(ref, y, cpu.fromArray(x, Shape.of(batch, dim)), momentum);
        try (LaunchCase c = new LaunchCase(d, a)) {
            int m = c.inout(memory), xi = c.in(x), yi = c.inInts(y);
            c.run(MemoryKernels.momentum(c.address(m), c.address(xi), c.address(yi), batch, dim, (float) momentum,
                    (float) (1 - momentum)));
            return new Run(KernelCheck.maxRelError(c.read(m), ref.toFloatArray(), 1e-3), c.outputs());
        }
    }
}
