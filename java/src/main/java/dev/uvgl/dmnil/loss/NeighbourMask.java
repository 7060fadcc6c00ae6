package dev.uvgl.dmnil.loss;

import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.dmnil.memory.MemoryOps;
import dev.uvgl.tensor.Tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Which memory rows count as neighbours of each batch row (dmnil.md section 7): j is a neighbour of
 * i when, on both paths, sim[i][j] > ratio * rowmax(sim[i]). Kept as one sorted index list per row,
 * because the memory has up to ~40k rows and a row has a handful of neighbours.
 */
public final class NeighbourMask {
    /** The reference's threshold ratio (thresh = hm_thresh = 0.9 in trainers.py). */
    public static final double DEFAULT_RATIO = 0.9;

    private final int columns;
    private final int[][] rows;

    /** A mask given directly: rows[i] lists row i's neighbour columns (sorted, distinct, in [0, columns)). */
    public NeighbourMask(int columns, int[][] rows) {
        this.columns = columns;
        this.rows = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int[] r = rows[i].clone();
            for (int t = 0; t < r.length; t++)
                if (r[t] < 0 || r[t] >= columns || (t > 0 && r[t] <= r[t - 1]))
                    throw new IllegalArgumentException("mask row " + i + " must list distinct columns in [0, " + columns
                            + ") in increasing order: " + Arrays.toString(r));
            this.rows[i] = r;
        }
    }

    /**
     * The mask of queries (B x D, no grad) against memory (N x D), intersected with that of the
     * second path's queriesS against memoryS, computed by MemoryOps.neighbourMask (on the GPU without a
     * B x N similarity in memory).
     */
    public static NeighbourMask of(Tensor queries, Tensor memory, Tensor queriesS, Tensor memoryS, double ratio) {
        int b = queries.dim(0), n = memory.dim(0);
        if (queriesS.dim(0) != b || memoryS.dim(0) != n)
            throw new IllegalArgumentException("the two paths disagree: " + queries.shape() + " x "
                    + memory.shape() + " vs "
                    + queriesS.shape() + " x " + memoryS.shape());
        int[] rows = IntStream.range(0, b).toArray();
        return new NeighbourMask(n,
                BackendMemoryOps.of(queries.backend()).neighbourMask(queries, memory, queriesS, memoryS, rows, ratio));
    }

    public int rows() { return rows.length; }

    public int columns() { return columns; }

    /** Row i's neighbour columns, increasing. */
    public int[] neighbours(int i) { return rows[i].clone(); }

    int[] neighboursShared(int i) { return rows[i]; }

    public int count(int i) { return rows[i].length; }

    /** n_i = count + 1, the reference's divisor (the +1 keeps an empty row finite). */
    public int divisor(int i) { return rows[i].length + 1; }
}
