package dev.uvgl.dmnil.memory.cuda;

import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.backend.cuda.LaunchShape;
import dev.uvgl.backend.cuda.TileSplit;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.KernelArgs;

import static dev.uvgl.backend.cuda.TileSplit.ceilDiv;
import static dev.uvgl.backend.cuda.TileSplit.gridFor;
import static dev.uvgl.backend.cuda.TileSplit.positive;

/**
 * Launches the DMNIL memory kernels (kernels/memory_*.cu, dhml*.cu, neighbour_mask.cu) on raw device
 * addresses: float32 matrices row-major, labels / rows / indices int32. Work split over several blocks
 * along the memory writes per-split partials to scratch, merged in split order by a second kernel; the
 * split count is a function of the shapes only (never of the device's SM count), so the same shapes give
 * the same bits on any GPU and on the emulator. Scratch goes back to the allocator as soon as the
 * launches are queued: allocator and kernels share one stream, so a later reuse is ordered after them.
 * Each kernel's launch (grid and the one argument list) is built by one method here, with its split as an
 * argument; the composed ops below and the self-test's checks both run those launches.
 */
public final class MemoryKernels {
    static final int THREADS = TileSplit.THREADS;
    public static final int CE_FWD_ROWS = 64, CE_BWD_ROWS = 16, CE_TILE = 64, CE_BWD_SLICE = 768;
    /** neighbour_mask.cu's query rows and key tile per block (knn.cu's shape). */
    public static final int MASK_QUERIES = 32, MASK_TILE = 64;

    private MemoryKernels() {}

    private static LaunchShape grid(int x, int y, int z) {
        return new LaunchShape(new Dim3(x, y, z), Dim3.of(THREADS));
    }

    // ---------------------------------------------------------------- the kernels, one launch each

    /** memory_momentum.cu: one block per batch row, in batch order. */
    public static Launch momentum(long memory, long x, long rowsInt32, int batch, int dim, float keep, float blend) {
        return new Launch("uvgl_memory_momentum_f32", grid(batch, 1, 1),
                new KernelArgs().ptr(memory).ptr(x).ptr(rowsInt32).i32(batch).i32(dim).f32(keep).f32(blend));
    }

    /** Per (row, split of memory rows) max and sum of exp of the logits, as float pairs. */
    public static Launch ceForwardPartial(long partial, long x, long memory, int batch, int classes, int dim,
                                          int tilesPerSplit, float invTau) {
        return new Launch("uvgl_memory_ce_fwd_partial_f32",
                grid(ceilDiv(batch, CE_FWD_ROWS), ceilDiv(ceilDiv(classes, CE_TILE), tilesPerSplit), 1),
                new KernelArgs().ptr(partial).ptr(x).ptr(memory).i32(batch).i32(classes).i32(dim).i32(tilesPerSplit)
                        .f32(invTau));
    }

    /** The splits merged in order into each row's log-sum-exp, and the mean loss against the labels. */
    public static Launch ceForwardFinish(long loss, long logSumExp, long partial, long x, long memory,
                                         long labelsInt32, int batch, int classes, int dim, int splits, float invTau) {
        return new Launch("uvgl_memory_ce_fwd_finish_f32", grid(1, 1, 1),
                new KernelArgs().ptr(loss).ptr(logSumExp).ptr(partial).ptr(x).ptr(memory).ptr(labelsInt32)
                        .i32(batch).i32(classes).i32(dim).i32(splits).f32(invTau));
    }

    /** Each split's dx [batch, dim] (the whole dx when there is one split), slices of dim as grid.z. */
    public static Launch ceBackwardPartial(long out, long x, long memory, long product, long labelsInt32,
                                           long logSumExp, long gLoss, int batch, int classes, int dim,
                                           int tilesPerSplit, float invTau) {
        return new Launch("uvgl_memory_ce_bwd_partial_f32",
                grid(ceilDiv(batch, CE_BWD_ROWS), ceilDiv(ceilDiv(classes, CE_TILE), tilesPerSplit),
                        ceilDiv(dim, CE_BWD_SLICE)),
                new KernelArgs().ptr(out).ptr(x).ptr(memory).ptr(product).ptr(labelsInt32).ptr(logSumExp).ptr(gLoss)
                        .i32(batch).i32(classes).i32(dim).i32(tilesPerSplit).f32(invTau));
    }

    /** dx = the splits' partial dx summed in split order. */
    public static Launch ceBackwardReduce(long dx, long partial, long n, int splits) {
        return new Launch("uvgl_memory_ce_bwd_reduce_f32", grid(gridFor(n), 1, 1),
                new KernelArgs().ptr(dx).ptr(partial).i64(n).i32(splits));
    }

    /** Each row's distance ||x_i - ST'[y_i]|| (double), ST' the bank after this batch's blend. */
    public static Launch dhmlDistance(long dist, long shortTerm, long x, long labelsInt32, int batch, int dim,
                                      long stNewBits, long stOldBits) {
        return new Launch("uvgl_dhml_distance_f32", grid(batch, 1, 1),
                new KernelArgs().ptr(dist).ptr(shortTerm).ptr(x).ptr(labelsInt32).i32(batch).i32(dim).i64(stNewBits)
                        .i64(stOldBits));
    }

    /** Both banks updated in place from the distances, alpha written as a double. */
    public static Launch dhmlBanks(long shortTerm, long longTerm, long alphaOut, long dist, long x, long labelsInt32,
                                   int batch, int dim, long stNewBits, long stOldBits) {
        return new Launch("uvgl_dhml_banks_f32", grid(batch, 1, 1),
                new KernelArgs().ptr(shortTerm).ptr(longTerm).ptr(alphaOut).ptr(dist).ptr(x).ptr(labelsInt32)
                        .i32(batch).i32(dim).i64(stNewBits).i64(stOldBits));
    }

    /** Per (query, split of keys) row maxima of both similarities, as float pairs. */
    public static Launch neighbourRowmax(long partialMax, long queryMemory, long keyMemory, long queryMemory2,
                                         long keyMemory2, long rowsInt32, int batch, int keyCount, int dim,
                                         int tilesPerSplit) {
        return new Launch("uvgl_neighbour_rowmax_f32", maskGrid(batch, keyCount, tilesPerSplit),
                new KernelArgs().ptr(partialMax).ptr(queryMemory).ptr(keyMemory).ptr(queryMemory2).ptr(keyMemory2)
                        .ptr(rowsInt32).i32(batch).i32(keyCount).i32(dim).i32(tilesPerSplit));
    }

    /**
     * The bit mask, from maxSplits partial row maxima merged in order (the rowmax pass's split count; the mask
     * pass's own key split, tilesPerSplit, need not match it).
     */
    public static Launch neighbourMaskBits(long wordsInt32, long partialMax, long queryMemory, long keyMemory,
                                           long queryMemory2, long keyMemory2, long rowsInt32, int batch,
                                           int keyCount, int dim, int maxSplits, int tilesPerSplit, float ratio) {
        return new Launch("uvgl_neighbour_mask_f32", maskGrid(batch, keyCount, tilesPerSplit),
                new KernelArgs().ptr(wordsInt32).ptr(partialMax).ptr(queryMemory).ptr(keyMemory).ptr(queryMemory2)
                        .ptr(keyMemory2).ptr(rowsInt32).i32(batch).i32(keyCount).i32(dim).i32(maxSplits)
                        .i32(tilesPerSplit).f32(ratio));
    }

    /** Set bits per mask row, one warp per row. */
    public static Launch neighbourCount(long countsInt32, long wordsInt32, int batch, int words) {
        return new Launch("uvgl_neighbour_count_i32", grid(ceilDiv(batch, THREADS / 32), 1, 1),
                new KernelArgs().ptr(countsInt32).ptr(wordsInt32).i32(batch).i32(words));
    }

    private static LaunchShape maskGrid(int batch, int keyCount, int tilesPerSplit) {
        return grid(ceilDiv(batch, MASK_QUERIES), ceilDiv(ceilDiv(keyCount, MASK_TILE), tilesPerSplit), 1);
    }

    // ---------------------------------------------------------------- the ops: splits chosen, scratch, launches

    /**
     * dmnil.md 4's momentum update, in batch order: M[rows[i]] = momentum M[rows[i]] + (1 - momentum) x_i,
     * then the row is L2-normalised; repeated rows see their earlier updates (the CPU op's sequential loop).
     * memory [memoryRows, dim] (updated in place), x [batch, dim], rowsInt32 [batch] within [0, memoryRows).
     */
    public static void momentumUpdate(Device d, long memory, int memoryRows, int dim, long rowsInt32, long x,
                                      int batch, double momentum) {
        positive("momentumUpdate", "memory rows", memoryRows);
        positive("momentumUpdate", "dim", dim);
        if (batch == 0) return;
        positive("momentumUpdate", "batch", batch);
        // The CPU op's two float weights, rounded from double exactly as it rounds them.
        momentum(memory, x, rowsInt32, batch, dim, (float) momentum, (float) (1 - momentum)).on(d);
    }

    /**
     * Fused logits = x M^T / tau and cross-entropy against labels without a B x C logits matrix: writes
     * loss (one float, the mean over rows) and logSumExp [batch] (kept for the backward pass).
     */
    public static void crossEntropyForward(Device d, CachingAllocator scratch, long loss, long logSumExp, long x,
                                           long memory, long labelsInt32, int batch, int classes, int dim,
                                           double tau) {
        positive("crossEntropyForward", "batch", batch);
        positive("crossEntropyForward", "classes", classes);
        positive("crossEntropyForward", "dim", dim);
        TileSplit split = TileSplit.of(ceilDiv(classes, CE_TILE), ceilDiv(batch, CE_FWD_ROWS));
        float invTau = (float) (1 / tau);
        DeviceBuffer partial = scratch.allocate(8L * split.count() * batch, "memory cross-entropy partial log-sum-exp");
        try {
            ceForwardPartial(partial.address(), x, memory, batch, classes, dim, split.tilesPerSplit(), invTau).on(d);
            ceForwardFinish(loss, logSumExp, partial.address(), x, memory, labelsInt32, batch, classes, dim,
                    split.count(), invTau).on(d);
        } finally {
            scratch.free(partial);
        }
    }

    /**
     * dx = gLoss / batch (softmax - onehot) P / tau, each logit tile recomputed from `memory` (the forward's
     * rows) and the saved logSumExp, then multiplied by `product` (the rows now; the same address unless the
     * memory moved since the forward); gLoss is the address of the one-float upstream gradient. dx
     * [batch, dim] is overwritten.
     */
    public static void crossEntropyBackward(Device d, CachingAllocator scratch, long dx, long x, long memory,
                                            long product, long labelsInt32, long logSumExp, long gLoss, int batch,
                                            int classes, int dim, double tau) {
        positive("crossEntropyBackward", "batch", batch);
        positive("crossEntropyBackward", "classes", classes);
        positive("crossEntropyBackward", "dim", dim);
        TileSplit split = TileSplit.of(ceilDiv(classes, CE_TILE),
                ceilDiv(batch, CE_BWD_ROWS) * ceilDiv(dim, CE_BWD_SLICE));
        float invTau = (float) (1 / tau);
        long n = (long) batch * dim;
        DeviceBuffer partial = split.count() > 1
                ? scratch.allocate(4L * split.count() * n, "memory cross-entropy partial dx") : null;
        try {
            ceBackwardPartial(partial != null ? partial.address() : dx, x, memory, product, labelsInt32, logSumExp,
                    gLoss, batch, classes, dim, split.tilesPerSplit(), invTau).on(d);
            if (partial != null) ceBackwardReduce(dx, partial.address(), n, split.count()).on(d);
        } finally {
            if (partial != null) scratch.free(partial);
        }
    }

    /**
     * The DHML banks (dmnil.md 4), as the CPU op dhmlBanksUpdateInPlace: ST[y] = stNew x + stOld ST[y]
     * (gathered first, the last repeat of a label wins), alpha = sigmoid(mean ||x_i - ST[y_i]||),
     * LT[y] = alpha ST[y] + (1 - alpha) LT[y]. Writes alpha as a double (8 bytes) to alphaOut; the host does not wait.
     */
    public static void dhmlBanksUpdate(Device d, CachingAllocator scratch, long shortTerm, long longTerm,
                                       int memoryRows, int dim, long labelsInt32, long x, int batch, double stNew,
                                       double stOld, long alphaOut) {
        positive("dhmlBanksUpdate", "memory rows", memoryRows);
        positive("dhmlBanksUpdate", "dim", dim);
        positive("dhmlBanksUpdate", "batch", batch);
        long newBits = Double.doubleToRawLongBits(stNew), oldBits = Double.doubleToRawLongBits(stOld);
        DeviceBuffer dist = scratch.allocate(8L * batch, "DHML row distances");
        try {
            dhmlDistance(dist.address(), shortTerm, x, labelsInt32, batch, dim, newBits, oldBits).on(d);
            dhmlBanks(shortTerm, longTerm, alphaOut, dist.address(), x, labelsInt32, batch, dim, newBits, oldBits)
                    .on(d);
        } finally {
            scratch.free(dist);
        }
    }

    /** Words per row of {@link #neighbourMask}'s bit mask. */
    public static int maskWords(int keyCount) { return ceilDiv(keyCount, 32); }

    /**
     * dmnil.md 7's neighbour mask for the query rows queryMemory[rows[i]] (and queryMemory2[rows[i]]) against
     * every row of keyMemory (keyMemory2): sim = q k^T, sim' = q2 k2^T, mask = sim > ratio rowmax(sim) AND
     * sim' > ratio rowmax(sim'). Writes wordsInt32 [batch, maskWords(keyCount)] (bit b of word w of row i
     * is key 32w + b) and countsInt32 [batch], the number of set bits per row (the loss's n is count + 1).
     */
    public static void neighbourMask(Device d, CachingAllocator scratch, long wordsInt32, long countsInt32,
                                     long queryMemory, long queryMemory2, long rowsInt32, int batch, long keyMemory,
                                     long keyMemory2, int keyCount, int dim, float ratio) {
        positive("neighbourMask", "batch", batch);
        positive("neighbourMask", "keys", keyCount);
        positive("neighbourMask", "dim", dim);
        TileSplit split = TileSplit.of(ceilDiv(keyCount, MASK_TILE), ceilDiv(batch, MASK_QUERIES));
        DeviceBuffer partialMax = scratch.allocate(8L * split.count() * batch, "neighbour mask partial row maxima");
        try {
            neighbourRowmax(partialMax.address(), queryMemory, keyMemory, queryMemory2, keyMemory2, rowsInt32, batch,
                    keyCount, dim, split.tilesPerSplit()).on(d);
            neighbourMaskBits(wordsInt32, partialMax.address(), queryMemory, keyMemory, queryMemory2, keyMemory2,
                    rowsInt32, batch, keyCount, dim, split.count(), split.tilesPerSplit(), ratio).on(d);
            neighbourCount(countsInt32, wordsInt32, batch, maskWords(keyCount)).on(d);
        } finally {
            scratch.free(partialMax);
        }
    }
}
