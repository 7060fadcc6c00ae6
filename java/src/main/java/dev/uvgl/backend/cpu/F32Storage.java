package dev.uvgl.backend.cpu;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Storage;
import dev.uvgl.tensor.Tensor;

/**
 * CPU storage: a Java array. Heap arrays rather than off-heap buffers because the element-wise
 * kernels auto-vectorise on arrays and the collector owns them; BLAS gets off-heap copies (see
 * F32Kernels.gemm and the README's measurement). F64Storage is generated from this file.
 */
public final class F32Storage implements Storage {
    final float[] data;

    F32Storage(float[] data) { this.data = data; }

    /** The array behind a CPU tensor of this precision (host kernels outside this package read it too). */
    public static float[] of(Tensor t) {
        if (t.storage() instanceof F32Storage s) return s.data;
        throw new IllegalArgumentException("expected a cpu " + DType.F32 + " tensor, got " + t);
    }

    /** A CPU tensor over this array, not copied. */
    public static Tensor wrap(float[] data, dev.uvgl.tensor.Shape shape) {
        return new Tensor(shape, new F32Storage(data));
    }

    @Override public Backend backend() { return CpuBackend.INSTANCE; }

    @Override public DType dtype() { return DType.F32; }

    @Override public int size() { return data.length; }

    @Override public void close() {}
}
