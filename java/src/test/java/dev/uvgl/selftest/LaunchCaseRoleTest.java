package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.ElementwiseKernels;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A check runs the shipped launch (LaunchCase.run), and its pointers are held to the kernel's registered roles:
 * an output passed where the kernel reads, or an address that is none of the case's buffers, is refused.
 */
class LaunchCaseRoleTest {
    private static Device device() {
        assertTrue(EmuLibrary.load().loaded(), "the emulated device must load in CI: " + EmuLibrary.load().detail());
        return EmuDevice.open(EmuDevice.Config.defaults());
    }

    @Test void runsTheShippedLaunchWhenTheRolesMatch() {
        Device d = device();
        try (CachingAllocator a = new CachingAllocator(d); LaunchCase c = new LaunchCase(d, a)) {
            int out = c.out(5), in = c.in(new float[] {1, 2, 3, 4, 5});
            c.run(ElementwiseKernels.copy(c.address(out), c.address(in), 5));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, c.read(out));
        }
    }

    @Test void refusesARoleSwapAndAForeignAddress() {
        Device d = device();
        try (CachingAllocator a = new CachingAllocator(d); LaunchCase c = new LaunchCase(d, a)) {
            int out = c.out(5), in = c.in(new float[5]);
            IllegalStateException swapped = assertThrows(IllegalStateException.class,
                    () -> c.run(ElementwiseKernels.copy(c.address(in), c.address(out), 5)));
            assertTrue(swapped.getMessage().contains("argument 0"), swapped.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> c.run(ElementwiseKernels.copy(c.address(out), c.address(in) + 4096, 5)));
        }
    }
}
