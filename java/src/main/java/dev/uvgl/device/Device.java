package dev.uvgl.device;

import java.util.List;

/**
 * Where kernels run: a real GPU ({@link CudaDevice}) or the emulated one ({@link EmuDevice}). The
 * backend above launches by kernel name with a typed argument list and never asks which it has.
 * Raw allocations go through {@link CachingAllocator}; addresses are device addresses, not host ones.
 */
public interface Device extends AutoCloseable {
    /** "cuda" or "emu", then a description. */
    String name();
    String describe();

    /** Allocates exactly this many bytes or throws {@link DeviceOutOfMemoryException}; label says what for. */
    long allocate(long bytes, String label);
    void free(long address);
    long bytesInUse();
    long bytesTotal();

    /** The caching allocator lends a cached block at this (smaller) size: the emulator re-arms its canaries there. */
    default void lend(long address, long bytes) {}
    /** The caching allocator took a block back: the emulator poisons it so a stale pointer reads NaN. */
    default void reclaim(long address) {}

    void copyIn(long dst, float[] src, int offset, int count);
    void copyOut(long src, float[] dst, int offset, int count);
    /** int32 buffers (labels, row indices, top-k indices): byte copies like the float ones, no conversion. */
    void copyIn(long dst, int[] src, int offset, int count);
    void copyOut(long src, int[] dst, int offset, int count);
    void copyDeviceToDevice(long dst, long src, long bytes);

    /**
     * Host to device on the compute stream: ordered after every kernel queued so far (so a block the
     * allocator recycled is not overwritten under a kernel still reading it) and before every later one,
     * without the host waiting for the device. The host array may be reused once this returns.
     */
    void upload(long dst, float[] src, int offset, int count);
    void upload(long dst, int[] src, int offset, int count);

    /**
     * How many times the host has waited for the device so far: synchronize, every read to the host, the
     * synchronous copyIn, timing reads, and (on a GPU) waits for a staging buffer. The backend issues the
     * same calls on both devices, so the emulator's count is the GPU's.
     */
    long hostSyncs();

    /**
     * Host to device on the copy stream: ordered before later kernels only through an event recorded on
     * the copy stream that the compute stream waits for. The host array may be reused once this returns.
     */
    void copyInAsync(long dst, float[] src, int offset, int count);
    /** An event after every copy queued so far on the copy stream. */
    DeviceEvent recordCopyStream();
    /** Later compute work waits for that event. */
    void computeWaits(DeviceEvent copyEvent);

    void launch(String kernel, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args);
    void synchronize();

    DeviceEvent record();
    /** Milliseconds between two recorded events (meaningless on the emulator, which says so in its describe()). */
    float elapsedMillis(DeviceEvent from, DeviceEvent to);

    /** The registered kernels with their signatures and roles, where the device knows them (the emulator does). */
    List<KernelSignature> registry();

    /** Every kernel this device can launch: the registry's on the emulator, the fatbins' on a GPU. */
    default List<String> kernelNames() { return registry().stream().map(KernelSignature::name).toList(); }

    @Override void close();
}
