package dev.uvgl.backend.cuda;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.KernelArgs;

/**
 * Launches knn.cu's exact top-k on raw device addresses (float32 rows, int32 indices): up to 32 candidates per
 * query in registers, the key axis split over blocks as {@link TileSplit} decides and the partial lists merged in
 * split order, so the same shapes give the same result on any GPU and on the emulator.
 */
public final class KnnKernels {
    static final int THREADS = TileSplit.THREADS;
    public static final int KNN_QUERIES = 32, KNN_TILE = 64, KNN_MAX_K = 32;

    private KnnKernels() {}

    /**
     * Each query tile's k best keys per split of the key tiles (tilesPerSplit tiles each, grid.y the splits),
     * ordered; with one split the final answer.
     */
    public static Launch topKPartial(long values, long indicesInt32, long queries, long keys, int queryCount,
                                     int keyCount, int dim, int k, int tilesPerSplit, boolean squaredDistance) {
        int splits = TileSplit.ceilDiv(TileSplit.ceilDiv(keyCount, KNN_TILE), tilesPerSplit);
        return new Launch("uvgl_knn_topk_f32",
                new LaunchShape(new Dim3(TileSplit.ceilDiv(queryCount, KNN_QUERIES), splits, 1), Dim3.of(THREADS)),
                new KernelArgs().ptr(values).ptr(indicesInt32).ptr(queries).ptr(keys).i32(queryCount).i32(keyCount)
                        .i32(dim).i32(k).i32(tilesPerSplit).i32(squaredDistance ? 1 : 0));
    }

    /** The splits' lists merged in split order into each query's k best, one warp per query. */
    public static Launch merge(long values, long indicesInt32, long partialValues, long partialIndices,
                               int queryCount, int k, int splits, boolean squaredDistance) {
        return new Launch("uvgl_knn_merge_f32",
                new LaunchShape(Dim3.of(TileSplit.ceilDiv(queryCount, THREADS / 32)), Dim3.of(THREADS)),
                new KernelArgs().ptr(values).ptr(indicesInt32).ptr(partialValues).ptr(partialIndices).i32(queryCount)
                        .i32(k).i32(splits).i32(squaredDistance ? 1 : 0));
    }

    /**
     * For each of queryCount query rows, the k (<= 32, <= keyCount) keys with the largest dot product, or
     * with the smallest squared Euclidean distance (summed directly, so identical rows tie exactly), ordered
     * by value and then by the lower index. values [queryCount, k] float, indices [queryCount, k] int32.
     */
    public static void topK(Device d, CachingAllocator scratch, long values, long indicesInt32, long queries,
                            int queryCount, long keys,
                            int keyCount, int dim, int k, boolean squaredDistance) {
        TileSplit.positive("topK", "queries", queryCount);
        TileSplit.positive("topK", "keys", keyCount);
        TileSplit.positive("topK", "dim", dim);
        if (k < 1 || k > KNN_MAX_K || k > keyCount)
            throw new IllegalArgumentException("topK: k = " + k + " (want 1 <= k <= min(" + KNN_MAX_K + ", keys = "
                    + keyCount + "))");
        TileSplit split = TileSplit.of(TileSplit.ceilDiv(keyCount, KNN_TILE),
                TileSplit.ceilDiv(queryCount, KNN_QUERIES));
        if (split.count() == 1) {
            topKPartial(values, indicesInt32, queries, keys, queryCount, keyCount, dim, k, split.tilesPerSplit(),
                    squaredDistance).on(d);
            return;
        }
        long entries = (long) split.count() * queryCount * k;
        DeviceBuffer pv = scratch.allocate(4 * entries, "kNN partial values");
        DeviceBuffer pi = scratch.allocate(4 * entries, "kNN partial indices");
        try {
            topKPartial(pv.address(), pi.address(), queries, keys, queryCount, keyCount, dim, k, split.tilesPerSplit(),
                    squaredDistance).on(d);
            merge(values, indicesInt32, pv.address(), pi.address(), queryCount, k, split.count(), squaredDistance)
                    .on(d);
        } finally {
            scratch.free(pi);
            scratch.free(pv);
        }
    }
}
