package dev.uvgl.testing;

import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.function.Function;

/**
 * Runs an op in float32 and in float64 on the same inputs and compares outputs and input gradients:
 * the float32 path is what trains, the float64 one is what the gradient checks prove. Errors are
 * measured against the largest magnitude of the float64 result (a norm-wise relative error).
 */
public final class PrecisionParity {
    private PrecisionParity() {}

    public static void assertClose(double relTol, Function<Tensor[], Tensor> f, Shape[] shapes, double[][] values) {
        double[] r = null;
        double[][] out = new double[2][];
        double[][][] grads = new double[2][shapes.length][];
        DType[] types = {DType.F32, DType.F64};
        for (int t = 0; t < 2; t++) {
            Tensor[] in = new Tensor[shapes.length];
            for (int k = 0; k < in.length; k++)
                in[k] = CpuBackend.INSTANCE.toDType(CpuBackend.INSTANCE.fromArray(values[k], shapes[k]), types[t])
                        .requiresGrad(true);
            Tensor y = f.apply(in);
            if (r == null) r = new java.util.Random(7).doubles(y.numel(), -1, 1).toArray();
            Tensor proj = CpuBackend.INSTANCE.toDType(CpuBackend.INSTANCE.fromArray(r, y.shape()), types[t]);
            Sum.apply(Mul.apply(y, proj)).backward();
            out[t] = y.toDoubleArray();
            for (int k = 0; k < in.length; k++)
                grads[t][k] = in[k].grad() == null ? null : in[k].grad().toDoubleArray();
        }
        check("output", out[0], out[1], relTol);
        for (int k = 0; k < shapes.length; k++)
            if (grads[1][k] != null) check("gradient of input " + k, grads[0][k], grads[1][k], relTol);
    }

    public static void check(String what, double[] got, double[] want, double relTol) {
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        scale = Math.max(scale, 1e-30);
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]) / scale;
            if (!(err <= relTol))
                throw new AssertionError(String.format(
                        "%s: element %d is %.9g, float64 says %.9g (error %.3g of max |value| %.3g, bound %.1g)",
                        what, i, got[i], want[i], err, scale, relTol));
        }
    }
}
