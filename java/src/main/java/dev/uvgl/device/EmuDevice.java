package dev.uvgl.device;

import java.util.List;

/**
 * The emulated device: our CUDA kernels compiled for the host and run with CUDA's execution model by
 * libuvgl_emu.so (kernels/emu). Kernels and synchronous copies complete before they return. Copy-stream
 * work is run adversarially late: an async copy lands only when the compute stream waits on an event
 * after it, at synchronize, or before the next copy-stream-ordered synchronous copy, so a kernel that
 * forgot the wait reads what was there before (fresh memory: NaN). Memory is host memory up to a
 * capacity, with canaries checked after every launch. Never loads a JCuda class.
 */
public final class EmuDevice implements Device {
    /** Capacity, host threads (0: UVGL_EMU_THREADS or all cores), schedule seed, watchdog. */
    public record Config(long capacityBytes, int threads, long seed, long watchdogMillis) {
        public static Config defaults() { return new Config(4L << 30, 0, 1, 60_000); }
        public Config withSeed(long s) { return new Config(capacityBytes, threads, s, watchdogMillis); }
        public Config withCapacity(long c) { return new Config(c, threads, seed, watchdogMillis); }
        public Config withWatchdog(long ms) { return new Config(capacityBytes, threads, seed, ms); }
    }

    private final List<KernelSignature> registry;
    private record PendingCopy(long dst, float[] data) {}
    private final java.util.ArrayList<PendingCopy> copyStream = new java.util.ArrayList<>();
    private long copiesQueued, copiesLanded, hostSyncs;

    private EmuDevice(List<KernelSignature> registry) { this.registry = registry; }

    /** Opens the emulated device or throws DeviceException with the reason the library is unusable. */
    public static EmuDevice open(Config config) {
        EmuLibrary.State s = EmuLibrary.load();
        if (!s.loaded()) throw new DeviceException("--device emu: " + s.detail());
        check(EmuNative.configure(config.capacityBytes(), config.threads(), config.seed(), config.watchdogMillis()));
        return new EmuDevice(KernelSignature.parseRegistry(EmuNative.registry()));
    }

    /** A new schedule seed; launches after it are numbered from zero again, so equal seeds replay equal schedules. */
    public void reseed(long seed) { check(EmuNative.configure(0, 0, seed, 0)); }

    private static void check(String error) { if (error != null) throw new DeviceException(error); }

    @Override public String name() { return "emu"; }
    @Override public String describe() { return "emulated device (CPU, libuvgl_emu.so; timings are meaningless)"; }

    @Override public long allocate(long bytes, String label) {
        long p = EmuNative.alloc(bytes, label);
        if (p == 0) throw new DeviceOutOfMemoryException(EmuNative.lastError());
        return p;
    }
    @Override public void free(long address) { check(EmuNative.free(address)); }
    @Override public long bytesInUse() { return EmuNative.inUse(); }
    @Override public long bytesTotal() { return EmuNative.capacity(); }
    @Override public void lend(long address, long bytes) { check(EmuNative.arm(address, bytes)); }
    @Override public void reclaim(long address) { check(EmuNative.poison(address)); }

    @Override public void copyIn(long dst, float[] src, int offset, int count) {
        hostSyncs++;
        landCopies(copiesQueued);
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        check(EmuNative.copyIn(dst, src, 4, offset, count));
    }
    @Override public void copyOut(long src, float[] dst, int offset, int count) {
        hostSyncs++;
        landCopies(copiesQueued);
        java.util.Objects.checkFromIndexSize(offset, count, dst.length);
        check(EmuNative.copyOut(src, dst, 4, offset, count));
    }
    @Override public void copyIn(long dst, int[] src, int offset, int count) {
        hostSyncs++;
        landCopies(copiesQueued);
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        check(EmuNative.copyIn(dst, src, 4, offset, count));
    }
    @Override public void copyOut(long src, int[] dst, int offset, int count) {
        hostSyncs++;
        landCopies(copiesQueued);
        java.util.Objects.checkFromIndexSize(offset, count, dst.length);
        check(EmuNative.copyOut(src, dst, 4, offset, count));
    }
    @Override public void copyDeviceToDevice(long dst, long src, long bytes) {
        check(EmuNative.copyD2D(dst, src, bytes));
    }

    // Kernels complete before launch returns, so a compute-stream copy lands at once; copy-stream work stays late.
    @Override public void upload(long dst, float[] src, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        check(EmuNative.copyIn(dst, src, 4, offset, count));
    }
    @Override public void upload(long dst, int[] src, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        check(EmuNative.copyIn(dst, src, 4, offset, count));
    }
    @Override public long hostSyncs() { return hostSyncs; }

    @Override public void launch(String kernel, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args) {
        int[] dims = {grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z()};
        check(EmuNative.launch(kernel, dims, dynamicSharedBytes, args.values(), args.types()));
    }
    @Override public void synchronize() {
        hostSyncs++;
        landCopies(copiesQueued);
    }

    @Override public void copyInAsync(long dst, float[] src, int offset, int count) {
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        copyStream.add(new PendingCopy(dst, java.util.Arrays.copyOfRange(src, offset, offset + count)));
        copiesQueued++;
    }

    private record CopyEvent(long copiesBefore) implements DeviceEvent { @Override public void close() {} }
    @Override public DeviceEvent recordCopyStream() { return new CopyEvent(copiesQueued); }
    @Override public void computeWaits(DeviceEvent copyEvent) { landCopies(((CopyEvent) copyEvent).copiesBefore()); }

    private void landCopies(long upTo) {
        while (copiesLanded < upTo) {
            PendingCopy c = copyStream.remove(0);
            check(EmuNative.copyIn(c.dst(), c.data(), 4, 0, c.data().length));
            copiesLanded++;
        }
    }

    private record HostEvent(long nanos) implements DeviceEvent { @Override public void close() {} }
    @Override public DeviceEvent record() { return new HostEvent(System.nanoTime()); }
    @Override public float elapsedMillis(DeviceEvent from, DeviceEvent to) {
        hostSyncs++;
        return (((HostEvent) to).nanos() - ((HostEvent) from).nanos()) / 1e6f;
    }

    @Override public List<KernelSignature> registry() { return registry; }
    @Override public void close() {}
}
