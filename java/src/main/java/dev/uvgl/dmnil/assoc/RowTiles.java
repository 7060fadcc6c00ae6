package dev.uvgl.dmnil.assoc;

import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Arrays;

/**
 * Consecutive blocks of a matrix's rows as tensors of its own dtype and backend, so that products
 * against another matrix can be streamed a block at a time. The rows are read to the host once.
 */
final class RowTiles {
    private final Tensor source;
    private final float[] f32;
    private final double[] f64;
    private final int cols;

    RowTiles(Tensor source) {
        if (source.rank() != 2) throw new IllegalArgumentException("expected a matrix, got " + source.shape());
        this.source = source;
        this.cols = source.dim(1);
        this.f32 = source.dtype() == DType.F32 ? source.toFloatArray() : null;
        this.f64 = source.dtype() == DType.F64 ? source.toDoubleArray() : null;
    }

    int rows() { return source.dim(0); }

    /** Rows [lo, hi). */
    Tensor tile(int lo, int hi) {
        var be = source.backend();
        Shape shape = Shape.of(hi - lo, cols);
        return f32 != null ? be.fromArray(Arrays.copyOfRange(f32, lo * cols, hi * cols), shape)
                : be.fromArray(Arrays.copyOfRange(f64, lo * cols, hi * cols), shape);
    }
}
