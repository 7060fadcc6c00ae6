package dev.uvgl.backend;

/**
 * Where a device backend's memory stands: blocks lent out (every live tensor and scratch in use), the bytes
 * they hold rounded to the allocator's buckets, the most that were ever lent at once, cached free bytes, and
 * the device's own count of host synchronisations so far.
 */
public record DeviceMemoryStats(int liveBlocks, long liveBytes, long peakLiveBytes, long cachedBytes, long hostSyncs) {
    public String describe() {
        return String.format("%d live blocks, %.1f MB live (peak %.1f MB), %.1f MB cached, %d host syncs so far",
                liveBlocks, liveBytes / 1e6, peakLiveBytes / 1e6, cachedBytes / 1e6, hostSyncs);
    }
}
