package dev.uvgl.selftest;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.List;

/** A KernelCheck whose name, bound, measure and shapes are given at construction; subclasses say how to run it. */
abstract class OpCheck implements KernelCheck {
    static final CpuBackend CPU = CpuBackend.INSTANCE;

    private final String kernel, measure;
    private final double bound;
    private final List<int[]> quick, full;

    OpCheck(String kernel, double bound, String measure, List<int[]> quick, List<int[]> full) {
        this.kernel = kernel;
        this.bound = bound;
        this.measure = measure;
        this.quick = quick;
        this.full = full;
    }

    @Override public String kernel() { return kernel; }
    @Override public double bound() { return bound; }
    @Override public String measure() { return measure; }
    @Override public List<int[]> shapes(boolean q) { return q ? quick : full; }

    static Tensor cpu(float[] data, int... dims) { return CPU.fromArray(data, Shape.of(dims)); }

    static float[] ref(Tensor t) { return t.toFloatArray(); }

    /** A double buffer read back as floats (little-endian pairs). */
    static double[] doubles(float[] pairs) {
        double[] d = new double[pairs.length / 2];
        for (int i = 0; i < d.length; i++)
            d[i] = Double.longBitsToDouble((Float.floatToRawIntBits(pairs[2 * i + 1]) & 0xFFFFFFFFL) << 32
                    | (Float.floatToRawIntBits(pairs[2 * i]) & 0xFFFFFFFFL));
        return d;
    }

    /** Doubles as float pairs for upload; the low words are zeroed so no half is a NaN bit pattern. */
    static float[] doublePairs(double[] d) {
        float[] f = new float[2 * d.length];
        for (int i = 0; i < d.length; i++) {
            long bits = Double.doubleToRawLongBits(d[i]);
            f[2 * i] = 0f;
            f[2 * i + 1] = Float.intBitsToFloat((int) (bits >>> 32));
        }
        return f;
    }

    /** The doubles doublePairs actually sends. */
    static double truncated(double v) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) & 0xFFFFFFFF00000000L);
    }

    /** max |got - ref| / scale[i]; NaN in got where ref has none is an infinite error. */
    static double maxScaledError(double[] got, double[] ref, double[] scale) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            if (Double.isNaN(got[i]) && !Double.isNaN(ref[i])) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs(got[i] - ref[i]) / Math.max(scale[i], 1e-300));
        }
        return worst;
    }

    static List<int[]> shapes(int[]... s) { return List.of(s); }
}
