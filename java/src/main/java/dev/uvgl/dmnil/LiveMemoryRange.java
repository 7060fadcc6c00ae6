package dev.uvgl.dmnil;

import dev.uvgl.backend.DeviceMemoryStats;

/**
 * The device memory live after each training step but the first (which creates the optimiser's buffers once):
 * equal bounds mean nothing leaks from step to step.
 */
final class LiveMemoryRange {
    private long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    private int steps, counted;

    /** Adds the live bytes after one step; null stats (the CPU backend) are ignored. */
    void add(DeviceMemoryStats stats) {
        if (stats != null && steps++ > 0) {
            min = Math.min(min, stats.liveBytes());
            max = Math.max(max, stats.liveBytes());
            counted++;
        }
    }

    String describe() {
        if (counted == 0) return "live after steps 2..: not measured (one step)";
        return String.format("live after steps 2..%d: %.1f to %.1f MB (%s)", steps, min / 1e6, max / 1e6,
                min == max ? "flat" : "grew by " + (max - min) + " B");
    }
}
