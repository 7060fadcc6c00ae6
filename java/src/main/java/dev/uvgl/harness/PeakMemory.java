package dev.uvgl.harness;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of a piece of work in this JVM: Java heap in use plus JavaCPP's off-heap buffers,
 * sampled every few milliseconds, above what was in use when it started. Heap in use counts
 * garbage not yet collected, so this is an upper bound on the live data.
 */
public final class PeakMemory implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final long baseline;
    private final Thread sampler;
    private volatile long peak;
    private volatile boolean running = true;

    private PeakMemory() {
        System.gc();
        baseline = now();
        peak = baseline;
        sampler = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, now());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-memory");
        sampler.setDaemon(true);
        sampler.start();
    }

    public static PeakMemory start() { return new PeakMemory(); }

    private static long now() { return MEMORY.getHeapMemoryUsage().getUsed() + Pointer.totalBytes(); }

    /** Bytes above the baseline at the peak so far. */
    public long peakAboveBaseline() { return Math.max(peak, now()) - baseline; }

    @Override public void close() {
        running = false;
        sampler.interrupt();
    }

    /** The process's peak resident set (VmHWM), or -1 where /proc is unavailable. */
    public static long processPeakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
