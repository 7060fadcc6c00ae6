package dev.uvgl.backend;

import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * Where tensors live and how they are computed: creation and transfer here, the kernels (one
 * method per op, forward and backward) in {@link Kernels}. The only layer that knows where memory
 * lives: the CPU implementation runs Java (+ BLAS), the CUDA one launches our kernels on a Device.
 * Ops above never ask which backend they run on.
 */
public interface Backend extends Kernels {
    String name();

    // ---- creation and transfer ----
    Tensor zeros(Shape shape, DType dtype);

    Tensor full(Shape shape, DType dtype, double value);

    Tensor fromArray(float[] data, Shape shape);

    Tensor fromArray(double[] data, Shape shape);

    /**
     * Host doubles as a tensor of the given precision, rounded on the host (a float32-only device never sees doubles).
     */
    default Tensor fromDoubles(double[] data, Shape shape, DType dtype) {
        if (dtype == DType.F64) return fromArray(data, shape);
        float[] f = new float[data.length];
        for (int i = 0; i < data.length; i++) f[i] = (float) data[i];
        return fromArray(f, shape);
    }

    float[] toFloatArray(Tensor x);

    double[] toDoubleArray(Tensor x);

    Tensor copy(Tensor x);

    Tensor toDType(Tensor x, DType dtype);

    // ---- lifetime and host round trips ----

    /** Opens a scope on this thread: the tensors created until it closes are freed by its close (see Scope). */
    default Scope scope() { return Scope.NONE; }

    /** While this is open, new tensors belong to no scope: long-lived state that outlives the step that made it. */
    default Scope unscoped() { return Scope.NONE; }

    /** True when tensors live in host memory (the CPU backend): host-side algorithms then read them for free. */
    default boolean onHost() { return true; }

    /** What an out-of-memory error should tell the user to lower, set by whoever runs the work (host memory: no-op). */
    default void setOutOfMemoryAdvice(String advice) {}

    // ---- GEMM precision (a capability: the CPU computes in float32 only) ----

    /** True where GEMMs and convolutions can run on BF16 tensor cores with float32 accumulation. */
    default boolean canGemmBf16() { return false; }

    /** True where BF16 GEMMs are the sensible default: a real GPU (the emulated device is for checking, in float32). */
    default boolean prefersGemmBf16() { return false; }

    /** Switches GEMMs and convolutions to BF16 inputs (float32 weights, accumulation and everything else) or back. */
    default void setGemmBf16(boolean bf16) {
        if (bf16) throw new UnsupportedOperationException(name() + " computes GEMMs in float32 only");
    }

    /** Memory and synchronisation counters of a device backend; null on the host. */
    default DeviceMemoryStats memoryStats() { return null; }

    /**
     * The values of these one-element tensors, read to the host together (a device waits once, not once per tensor).
     */
    default double[] readScalars(java.util.List<Tensor> scalars) {
        double[] out = new double[scalars.size()];
        for (int i = 0; i < out.length; i++) out[i] = scalars.get(i).item();
        return out;
    }
}
