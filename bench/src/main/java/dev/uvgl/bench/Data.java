package dev.uvgl.bench;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** Seeded random inputs for the benchmarks: uniform in [-1, 1), so no op sees denormals or overflow. */
final class Data {
    private Data() {}

    static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
        return a;
    }

    static Tensor tensor(Random rnd, int... dims) {
        Shape s = Shape.of(dims);
        return CpuBackend.INSTANCE.fromArray(uniform(rnd, s.numel()), s);
    }
}
