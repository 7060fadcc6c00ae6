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

    /** Host doubles as a tensor of the given precision, rounded on the host (a float32-only device never sees doubles). */
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
}
