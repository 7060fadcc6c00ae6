package dev.uvgl.device;

/** JNI entry points of libuvgl_emu.so (kernels/emu/emu_jni.cpp). Strings returned are errors; null is success. */
final class EmuNative {
    private EmuNative() {}

    static native String configure(long capacityBytes, int threads, long seed, long watchdogMillis);
    static native long alloc(long bytes, String label);
    static native String lastError();
    static native String free(long address);
    static native String arm(long address, long bytes);
    static native String poison(long address);
    static native long inUse();
    static native long capacity();
    static native String registry();
    static native String copyIn(long dst, Object array, int elementSize, int offset, int count);
    static native String copyOut(long src, Object array, int elementSize, int offset, int count);
    static native String copyD2D(long dst, long src, long bytes);
    static native String launch(String kernel, int[] gridAndBlock, int sharedBytes, long[] args, byte[] types);
}
