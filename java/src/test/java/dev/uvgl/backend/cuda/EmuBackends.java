package dev.uvgl.backend.cuda;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA backend on the emulated device, one per JVM (the emulator is process-wide), and comparison helpers. */
public final class EmuBackends {
    private static CudaBackend emu;

    private EmuBackends() {}

    public static synchronized CudaBackend emu() {
        if (emu == null) {
            EmuLibrary.State lib = EmuLibrary.load();
            assertTrue(lib.loaded(), "the emulated device must load in CI: " + lib.detail());
            emu = new CudaBackend(EmuDevice.open(EmuDevice.Config.defaults()));
        }
        return emu;
    }

    /**
     * Gives every block back to the emulator: its memory is process-wide, and other test classes shrink
     * its capacity to provoke out-of-memory, so no test class may leave device memory behind.
     */
    public static synchronized void release() {
        if (emu != null) emu.close();
        emu = null;
    }

    static final CpuBackend CPU = CpuBackend.INSTANCE;

    static float[] random(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    /** |got - want| <= tol * max(|want|, 1) everywhere, NaN only where the reference has NaN; shapes equal. */
    static void assertClose(String what, Tensor want, Tensor got, double tol) {
        assertEquals(want.shape(), got.shape(), what + ": shape");
        assertClose(what, want.toFloatArray(), got.toFloatArray(), tol);
    }

    static void assertClose(String what, float[] want, float[] got, double tol) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i])) {
                assertTrue(Float.isNaN(got[i]), what + "[" + i + "]: want NaN, got " + got[i]);
                continue;
            }
            double err = Math.abs((double) got[i] - want[i]) / Math.max(Math.abs(want[i]), 1);
            assertTrue(err <= tol,
                    what + "[" + i + "]: want " + want[i] + ", got " + got[i] + " (error " + err + " > " + tol + ")");
        }
    }

    /** The same data on both backends. */
    record Pair(Tensor cpu, Tensor dev) {
        static Pair of(float[] data, Shape shape) {
            return new Pair(CPU.fromArray(data, shape), emu().fromArray(data, shape));
        }
    }
}
