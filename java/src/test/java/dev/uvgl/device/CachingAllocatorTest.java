package dev.uvgl.device;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator on the emulated device, whose capacity can be made small enough to run out. */
class CachingAllocatorTest {
    @AfterEach void restoreCapacity() { EmuDevice.open(EmuDevice.Config.defaults()); }

    @Test void bucketsRoundUpWithBoundedWaste() {
        assertEquals(512, CachingAllocator.bucket(1));
        assertEquals(1024, CachingAllocator.bucket(513));
        assertEquals(1 << 20, CachingAllocator.bucket((1 << 20) - 3));
        long big = (1 << 20) + 1;
        assertTrue(CachingAllocator.bucket(big) >= big && CachingAllocator.bucket(big) <= big * 1.125 + 1);
    }

    @Test void freedBlocksAreReusedWithoutDeviceAllocations() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        try (CachingAllocator a = new CachingAllocator(dev)) {
            DeviceBuffer x = a.allocate(1000, "x");
            long inUse = dev.bytesInUse();
            a.free(x);
            DeviceBuffer y = a.allocate(900, "y");
            assertEquals(x.address(), y.address());
            assertEquals(inUse, dev.bytesInUse());
            float[] back = new float[225];
            dev.copyOut(y.address(), back, 0, back.length);
            assertTrue(Float.isNaN(back[0]), "a reclaimed block must read as poison, not stale data");
            assertThrows(IllegalStateException.class, () -> { a.free(y); a.free(y); });
        }
    }

    @Test void outOfMemoryNamesTheAllocationTheBytesFreeAndTheOptionToLower() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults().withCapacity(1 << 20));
        try (CachingAllocator a = new CachingAllocator(dev)) {
            a.setOutOfMemoryAdvice("lower --set batch_size= (now 64)");
            List<DeviceBuffer> held = new ArrayList<>();
            held.add(a.allocate(200_000, "activations"));
            DeviceBuffer cached = a.allocate(200_000, "scratch");
            a.free(cached);  // cached: the allocator must give it back before failing
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                    () -> a.allocate(900_000, "features of step 3"));
            assertTrue(e.getMessage().contains("features of step 3 (900000 bytes)"), e.getMessage());
            assertTrue(e.getMessage().matches(".*: \\d+ bytes free of 1048576; lower --set batch_size= \\(now 64\\)"),
                    e.getMessage());
            assertEquals(0, a.cachedBytes());
            DeviceBuffer fits = a.allocate(400_000, "fits after the cache was released");
            assertTrue(fits.address() != 0);
        }
    }

    @Test void copiesOutsideAnAllocationAreRefused() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        long p = dev.allocate(16, "tiny");
        try {
            DeviceException e = assertThrows(DeviceException.class, () -> dev.copyIn(p, new float[5], 0, 5));
            assertTrue(e.getMessage().contains("not inside one emulated allocation"), e.getMessage());
        } finally {
            dev.free(p);
        }
    }
}
