package dev.uvgl.backend.cuda;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An emulated device with its allocator, for launcher tests: uploads,
 * NaN-poisoned outputs, read-back, and a leak check on close.
 */
final class EmuLaunchFixture implements AutoCloseable {
    final EmuDevice device;
    final CachingAllocator alloc;
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    EmuLaunchFixture(long seed) {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load: " + lib.detail());
        device = EmuDevice.open(EmuDevice.Config.defaults().withSeed(seed));
        alloc = new CachingAllocator(device);
    }

    long upload(float[] host) {
        DeviceBuffer b = alloc.allocate(4L * host.length, "test input");
        if (host.length > 0) device.copyIn(b.address(), host, 0, host.length);
        buffers.add(b);
        return b.address();
    }

    /** An output buffer full of NaN, so an element the launcher never writes shows up. */
    long poisoned(int count) {
        float[] nan = new float[count];
        Arrays.fill(nan, Float.NaN);
        return upload(nan);
    }

    float[] read(long address, int count) {
        device.synchronize();
        float[] host = new float[count];
        if (count > 0) device.copyOut(address, host, 0, count);
        return host;
    }

    /** Launchers must give their scratch back: only this fixture's own buffers may be live. */
    void assertNoScratchLeft() {
        assertEquals(buffers.size(), alloc.liveBlocks(), "scratch buffers left live by the launcher");
    }

    @Override public void close() {
        for (DeviceBuffer b : buffers) alloc.free(b);
        alloc.close();
        device.close();
    }
}
