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
        int queryTiles = TileSplit.ceilDiv(queryCount, KNN_QUERIES);
        TileSplit split = TileSplit.of(TileSplit.ceilDiv(keyCount, KNN_TILE), queryTiles);
        int sq = squaredDistance ? 1 : 0;
        if (split.count() == 1) {
            d.launch("uvgl_knn_topk_f32", Dim3.of(queryTiles), Dim3.of(THREADS), 0,
                    new KernelArgs().ptr(values).ptr(indicesInt32).ptr(queries).ptr(keys).i32(queryCount).i32(keyCount)
                    .i32(dim).i32(k)
                            .i32(split.tilesPerSplit()).i32(sq));
            return;
        }
        long entries = (long) split.count() * queryCount * k;
        DeviceBuffer pv = scratch.allocate(4 * entries, "kNN partial values");
        DeviceBuffer pi = scratch.allocate(4 * entries, "kNN partial indices");
        try {
            d.launch("uvgl_knn_topk_f32", new Dim3(queryTiles, split.count(), 1), Dim3.of(THREADS), 0,
                    new KernelArgs().ptr(pv).ptr(pi).ptr(queries).ptr(keys).i32(queryCount).i32(keyCount)
                    .i32(dim).i32(k)
                            .i32(split.tilesPerSplit()).i32(sq));
            d.launch("uvgl_knn_merge_f32", Dim3.of(TileSplit.ceilDiv(queryCount, THREADS / 32)), Dim3.of(THREADS), 0,
                    new KernelArgs().ptr(values).ptr(indicesInt32).ptr(pv).ptr(pi).i32(queryCount).i32(k)
                    .i32(split.count()).i32(sq));
        } finally {
            scratch.free(pi);
            scratch.free(pv);
        }
    }
}
