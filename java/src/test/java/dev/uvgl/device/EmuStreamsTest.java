package dev.uvgl.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator runs copy-stream work late: only an event wait orders it before a kernel. */
class EmuStreamsTest {
    static float[] copyKernelOutput(boolean wait) {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        try (CachingAllocator a = new CachingAllocator(dev)) {
            int n = 300;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i * 0.5f;
            DeviceBuffer in = a.allocate(4L * n, "staged input"), out = a.allocate(4L * n, "copy of it");
            dev.copyInAsync(in.address(), x, 0, n);
            DeviceEvent copied = dev.recordCopyStream();
            if (wait) dev.computeWaits(copied);
            dev.launch("uvgl_copy_f32", Dim3.of(2), Dim3.of(256), 0, new KernelArgs().ptr(out).ptr(in).i64(n));
            float[] y = new float[n];
            dev.copyOut(out.address(), y, 0, n);
            if (wait) assertArrayEquals(x, y);
            return y;
        }
    }

    @Test void aKernelAfterTheEventWaitSeesTheCopy() { copyKernelOutput(true); }

    @Test void aKernelThatForgotTheWaitReadsPoison() {
        float[] y = copyKernelOutput(false);
        for (float v : y) assertTrue(Float.isNaN(v), "the copy landed before the kernel without a wait: " + v);
    }
}
