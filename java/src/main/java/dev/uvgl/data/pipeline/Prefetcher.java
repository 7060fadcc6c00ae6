package dev.uvgl.data.pipeline;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes batches on a thread pool ahead of the training step: at most `depth` batches are in
 * flight or waiting (the bound keeps memory flat), handed out in sampler order.
 */
public final class Prefetcher implements AutoCloseable {
    private final BatchMaker maker;
    private final Iterator<int[]> batches;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    private long submitted;

    public Prefetcher(BatchMaker maker, Iterator<int[]> batches, int threads, int depth) {
        if (threads < 1 || depth < 1) throw new IllegalArgumentException("threads and depth must be positive");
        this.maker = maker;
        this.batches = batches;
        this.depth = depth;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "uvgl-prefetch");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** The next batch (waits if it is not ready), or null after the last. */
    public Batch next() {
        Future<Batch> f = inFlight.poll();
        if (f == null) return null;
        try {
            Batch b = f.get();
            fill();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("making batch failed: " + e.getCause(), e.getCause());
        }
    }

    private void fill() {
        while (inFlight.size() < depth && batches.hasNext()) {
            int[] rows = batches.next();
            long number = submitted++;
            inFlight.add(pool.submit(() -> maker.make(number, rows)));
        }
    }

    @Override public void close() { pool.shutdownNow(); }
}
