package dev.uvgl.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** int32 copies (labels, indices) move bytes unchanged, including patterns that are NaN when read as floats. */
class DeviceIntCopyTest {
    @Test void intsRoundTripBitForBitWithOffsets() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        try (CachingAllocator a = new CachingAllocator(dev)) {
            int[] src = {7, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7FC00001, 0xFF800001, 0, 42};
            DeviceBuffer b = a.allocate(4L * 6, "ints");
            dev.copyIn(b.address(), src, 2, 6);
            int[] back = new int[8];
            back[0] = 99;
            dev.copyOut(b.address(), back, 1, 6);
            assertArrayEquals(new int[] {99, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7FC00001, 0xFF800001, 0, 42, 0},
                    back);
            // The same bytes through the float path: the int copy wrote raw bits, not converted values.
            float[] asFloats = new float[6];
            dev.copyOut(b.address(), asFloats, 0, 6);
            for (int i = 0; i < 6; i++) assertEquals(src[2 + i], Float.floatToRawIntBits(asFloats[i]));
        }
    }

    @Test void outOfRangeHostSliceIsRefused() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        try (CachingAllocator a = new CachingAllocator(dev)) {
            DeviceBuffer b = a.allocate(16, "ints");
            assertThrows(IndexOutOfBoundsException.class, () -> dev.copyIn(b.address(), new int[3], 1, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> dev.copyOut(b.address(), new int[2], 0, 4));
        }
    }
}
