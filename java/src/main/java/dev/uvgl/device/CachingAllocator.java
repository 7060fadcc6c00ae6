package dev.uvgl.device;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory for both devices without a device allocation per step: sizes round up to buckets and
 * freed blocks wait on a per-bucket free list for the next request of that bucket. On out-of-memory it
 * gives its cached blocks back and tries once more before failing with the allocation's name, the
 * bytes free and the advice its owner set (which option to lower). Not thread-safe: one per device stream.
 */
public final class CachingAllocator implements AutoCloseable {
    static final long MIN_BUCKET = 512;
    private final Device device;
    private final TreeMap<Long, ArrayDeque<Long>> cached = new TreeMap<>();
    private final Map<Long, Long> liveBucket = new HashMap<>();
    private long cachedBytes, liveBytes, peakLiveBytes;
    private String advice;

    public CachingAllocator(Device device) { this.device = device; }

    /** What an out-of-memory error tells the user to lower (e.g. "lower --set batch_size= (now 64)"); null: generic. */
    public void setOutOfMemoryAdvice(String advice) { this.advice = advice; }

    /** Powers of two up to 1 MiB, then steps of an eighth of the power of two below (at most 12.5% waste). */
    static long bucket(long bytes) {
        if (bytes <= MIN_BUCKET) return MIN_BUCKET;
        long pow = Long.highestOneBit(bytes - 1) << 1;
        if (pow <= (1 << 20)) return pow;
        long step = pow / 16;
        return (bytes + step - 1) / step * step;
    }

    public DeviceBuffer allocate(long bytes, String label) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation " + bytes + " for " + label);
        long b = bucket(bytes);
        ArrayDeque<Long> list = cached.get(b);
        long address;
        if (list != null && !list.isEmpty()) {
            address = list.pop();
            cachedBytes -= b;
        } else {
            address = allocateFresh(b, bytes, label);
        }
        device.lend(address, bytes);
        liveBucket.put(address, b);
        liveBytes += b;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        return new DeviceBuffer(address, bytes, label);
    }

    private long allocateFresh(long b, long bytes, String label) {
        try {
            return device.allocate(b, label);
        } catch (DeviceOutOfMemoryException first) {
            releaseCached();
            try {
                return device.allocate(b, label);
            } catch (DeviceOutOfMemoryException e) {
                long free = Math.max(0, device.bytesTotal() - device.bytesInUse());
                String fix = advice != null ? advice
                        : "use a smaller batch, model or image size, or free device memory";
                throw new DeviceOutOfMemoryException("out of " + device.name() + " memory allocating " + label
                        + " (" + bytes
                        + " bytes): " + free + " bytes free of " + device.bytesTotal() + "; " + fix);
            }
        }
    }

    public void free(DeviceBuffer buffer) {
        Long b = liveBucket.remove(buffer.address());
        if (b == null)
            throw new IllegalStateException("free of " + buffer.label() + " at 0x" + Long.toHexString(buffer.address())
                    + ", which is not live (double free?)");
        device.reclaim(buffer.address());
        liveBytes -= b;
        cached.computeIfAbsent(b, k -> new ArrayDeque<>()).push(buffer.address());
        cachedBytes += b;
    }

    /** Gives every cached block back to the device. */
    public void releaseCached() {
        for (ArrayDeque<Long> list : cached.values()) for (long a : list) device.free(a);
        cached.clear();
        cachedBytes = 0;
    }

    public int liveBlocks() { return liveBucket.size(); }
    /** Bytes lent out now, and the most ever lent at once (bucket sizes). */
    public long liveBytes() { return liveBytes; }
    public long peakLiveBytes() { return peakLiveBytes; }
    public long cachedBytes() { return cachedBytes; }

    @Override public void close() {
        releaseCached();
        for (long a : liveBucket.keySet()) device.free(a);
        liveBucket.clear();
    }
}
