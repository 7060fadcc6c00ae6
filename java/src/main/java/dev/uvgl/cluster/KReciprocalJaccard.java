package dev.uvgl.cluster;

import dev.uvgl.util.Progress;

/**
 * The sparse k-reciprocal Jaccard distance of dmnil.md section 6: kNN lists, expanded reciprocal
 * sets weighted into V rows, query expansion, then Jaccard through an inverted index.
 * Memory grows with N * k: nothing N x N is ever held.
 */
public final class KReciprocalJaccard {
    private final int k1, k2;
    private final KnnSearch knn;

    public record Result(SparseRows distances, NeighbourLists lists, double knnSeconds, double jaccardSeconds) {}

    public KReciprocalJaccard(int k1, int k2, KnnSearch knn) {
        if (k1 < 1) throw new BadInput("k1 = " + k1 + " must be at least 1 (the reference uses 30)");
        if (k2 < 1 || k2 > k1)
            throw new BadInput("k2 = " + k2 + " must lie in 1..k1 = " + k1 + " (the reference uses 6)");
        this.k1 = k1;
        this.k2 = k2;
        this.knn = knn;
    }

    /** @param storeAtMost also drop pairs farther than this (1 keeps every pair that shares a column) */
    public Result compute(UnitRows rows, double storeAtMost, Progress.Factory progress) {
        if (rows.n() <= k1)
            throw new BadInput(rows.n() + " feature rows are too few for k1 = " + k1
                    + ": give more rows than k1, or a smaller --k1");
        long t0 = System.nanoTime();
        NeighbourLists lists = knn.search(rows, IdenticalRows.of(rows), k1, progress);
        long t1 = System.nanoTime();
        SparseRows v = QueryExpansion.apply(ReciprocalWeights.compute(rows, lists, k1), lists, k2);
        SparseRows d = JaccardDistance.compute(v, storeAtMost);
        long t2 = System.nanoTime();
        return new Result(d, lists, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }
}
