package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;

import java.util.List;

/** One registered kernel's self-test: shapes, how it is launched, and its error against the CPU reference. */
interface KernelCheck {
    /** A result: the largest error by this check's measure, and the outputs for the bitwise seed comparison. */
    record Run(double maxError, float[] outputs) {}

    String kernel();
    /** The stated bound and what the error measures, for the PASS/FAIL line. */
    double bound();
    String measure();
    /** The arithmetic the kernel computes in, for the README's table. */
    default String precision() { return "FP32"; }
    List<int[]> shapes(boolean quick);
    Run run(Device device, CachingAllocator alloc, int[] shape, long inputSeed);

    /** max |got-ref| / max(|ref|, floor); NaN anywhere is an infinite error. */
    static double maxRelError(float[] got, float[] ref, double floor) {
        if (got.length != ref.length)
            throw new IllegalStateException(got.length + " outputs, reference has " + ref.length);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i]) != Float.isNaN(ref[i])) return Double.POSITIVE_INFINITY;
            if (Float.isNaN(ref[i])) continue;
            worst = Math.max(worst, Math.abs((double) got[i] - ref[i]) / Math.max(Math.abs(ref[i]), floor));
        }
        return worst;
    }

    static float[] random(java.util.SplittableRandom r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }
}
