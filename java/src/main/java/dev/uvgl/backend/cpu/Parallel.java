package dev.uvgl.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * Splits a range over the CPU pool. Chunks have a fixed size that does not depend on the number of
 * cores, and every output element is written by exactly one chunk, so results are the same on
 * every machine and every run; reductions that cross chunks combine per-chunk partials in chunk order.
 */
public final class Parallel {
    private static final int THREADS = Integer.getInteger("uvgl.threads", Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);

    private Parallel() {}

    public static int threads() { return THREADS; }

    public interface RangeBody { void run(int lo, int hi); }

    public interface ChunkBody { void run(int chunk, int lo, int hi); }

    /** Runs body over [0, n) in chunks of `grain` (the last may be shorter); inline when there is one chunk. */
    public static void range(int n, int grain, RangeBody body) {
        chunks(n, grain, (c, lo, hi) -> body.run(lo, hi));
    }

    /** As range, also telling each body its chunk number (for per-chunk partial results). */
    public static void chunks(int n, int grain, ChunkBody body) {
        int g = Math.max(1, grain);
        int chunks = chunkCount(n, g);
        if (chunks <= 1 || THREADS == 1 || ForkJoinTask.getPool() == POOL) {
            // Nested calls from inside the pool run inline: the outer level already fills the cores.
            for (int c = 0; c < chunks; c++) body.run(c, c * g, Math.min(n, (c + 1) * g));
            return;
        }
        POOL.submit(() -> IntStream.range(0, chunks).parallel()
                .forEach(c -> body.run(c, c * g, Math.min(n, (c + 1) * g)))).join();
    }

    public static int chunkCount(int n, int grain) { return n <= 0 ? 0 : (n + grain - 1) / grain; }

    /** A grain that gives each chunk about `workPerChunk` units when one item costs `costPerItem`. */
    public static int grainFor(int costPerItem, int workPerChunk) {
        return Math.max(1, workPerChunk / Math.max(1, costPerItem));
    }
}
