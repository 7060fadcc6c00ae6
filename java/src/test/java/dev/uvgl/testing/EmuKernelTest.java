package dev.uvgl.testing;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.EmuDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** A launcher test on the emulated device: a fresh device per test, host arrays up and down, buffers freed after. */
public abstract class EmuKernelTest {
    protected EmuDevice dev;
    protected CachingAllocator alloc;
    private final List<DeviceBuffer> live = new ArrayList<>();

    @BeforeEach void openDevice() {
        dev = EmuDevice.open(EmuDevice.Config.defaults());
        alloc = new CachingAllocator(dev);
    }

    @AfterEach void closeDevice() {
        for (DeviceBuffer b : live) alloc.free(b);
        alloc.close();
    }

    protected long up(float[] a) {
        DeviceBuffer b = alloc.allocate(4L * a.length, "test floats");
        live.add(b);
        dev.copyIn(b.address(), a, 0, a.length);
        return b.address();
    }

    protected long up(int[] a) {
        DeviceBuffer b = alloc.allocate(4L * a.length, "test ints");
        live.add(b);
        dev.copyIn(b.address(), a, 0, a.length);
        return b.address();
    }

    /** n floats of NaN: an output the kernel must overwrite. */
    protected long nan(int n) {
        float[] p = new float[n];
        Arrays.fill(p, Float.NaN);
        return up(p);
    }

    protected float[] down(long address, int n) {
        float[] a = new float[n];
        dev.copyOut(address, a, 0, n);
        return a;
    }

    protected int[] downInts(long address, int n) {
        int[] a = new int[n];
        dev.copyOut(address, a, 0, n);
        return a;
    }

    /** rows x dim Gaussian rows scaled to unit length. */
    protected static float[] unitRows(SplittableRandom r, int rows, int dim) {
        float[] a = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) { double v = r.nextGaussian(); a[i * dim + j] = (float) v; sq += v * v; }
            for (int j = 0; j < dim; j++) a[i * dim + j] = (float) (a[i * dim + j] / Math.sqrt(sq));
        }
        return a;
    }
}
