package dev.uvgl.autograd.ops;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.Inputs;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs an op forward in both precisions and compares with a reference computed in double. */
final class ElementwiseTestSupport {
    private ElementwiseTestSupport() {}

    static void assertForward(Function<Tensor[], Tensor> op, double[] want, double tolF64, double tolF32,
            Shape[] shapes, double[]... values) {
        var be = CpuBackend.INSTANCE;
        for (DType t : DType.values()) {
            Tensor[] in = new Tensor[values.length];
            for (int k = 0; k < in.length; k++) in[k] = be.toDType(be.fromArray(values[k], shapes[k]), t);
            double err = Inputs.maxAbsDiff(op.apply(in).toDoubleArray(), want);
            double tol = t == DType.F64 ? tolF64 : tolF32;
            assertTrue(err <= tol, t + ": forward off by " + err + " (bound " + tol + ")");
        }
    }
}
