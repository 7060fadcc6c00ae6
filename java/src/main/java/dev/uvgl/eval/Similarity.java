package dev.uvgl.eval;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * Query x gallery dot products through the backend's matmul, a block of queries at a time, so a
 * University-1652 gallery (51,355 x 768) never needs the full query x gallery matrix in memory.
 */
public final class Similarity {
    /** Receives the scores of queries [q0, q0 + rows) against the whole gallery, row-major. */
    public interface BlockConsumer { void accept(int q0, int rows, float[] scores); }

    private static final long MAX_BLOCK_FLOATS = 32L << 20;

    private Similarity() {}

    public static void blocks(Backend backend, float[] queries, int nq, float[] gallery, int ng, int dim,
            BlockConsumer consumer) {
        blocks(backend, queries, nq, gallery, ng, dim, MAX_BLOCK_FLOATS, consumer);
    }

    /** As above with at most `maxBlockFloats` scores per block (tests force many small blocks). */
    static void blocks(Backend backend, float[] queries, int nq, float[] gallery, int ng, int dim, long maxBlockFloats,
            BlockConsumer consumer) {
        if (ng == 0 || nq == 0) return;
        int block = (int) Math.max(1, Math.min(nq, maxBlockFloats / ng));
        try (Tensor g = backend.fromArray(gallery, Shape.of(ng, dim))) {
            for (int q0 = 0; q0 < nq; q0 += block) {
                int rows = Math.min(block, nq - q0);
                float[] part = new float[rows * dim];
                System.arraycopy(queries, q0 * dim, part, 0, rows * dim);
                float[] scores;
                try (Scope perBlock = backend.scope()) {
                    scores = backend.matmul(backend.fromArray(part, Shape.of(rows, dim)), false, g,
                            true).toFloatArray();
                }
                consumer.accept(q0, rows, scores);
            }
        }
    }
}
