package dev.uvgl.backend.cuda;

/**
 * How many contiguous runs of tiles a reduction axis (a memory's rows, a key set) is cut into, and how many tiles
 * each run holds. Per-split partials are merged in split order by a second kernel; the split count is a function of
 * the shapes only (never of the device's SM count), so the same shapes give the same bits on any GPU and on the
 * emulator. Shared by the kNN launches here and DMNIL's memory launches.
 */
public record TileSplit(int count, int tilesPerSplit) {
    /** Two blocks per SM of an H100 (132 SMs): the block count a split aims for. */
    public static final int TARGET_BLOCKS = 264;
    public static final int THREADS = 256;

    /** Aims at {@link #TARGET_BLOCKS} blocks over the other grid axes' otherBlocks; no split is empty. */
    public static TileSplit of(int tiles, int otherBlocks) {
        int wanted = Math.max(1, Math.min(tiles, TARGET_BLOCKS / Math.max(1, otherBlocks)));
        int per = ceilDiv(tiles, wanted);
        return new TileSplit(ceilDiv(tiles, per), per);
    }

    /** Blocks of a grid-stride loop over n items: at most four per target block. */
    public static int gridFor(long n) {
        return (int) Math.max(1, Math.min(4L * TARGET_BLOCKS, (n + THREADS - 1) / THREADS));
    }

    public static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** A launch's size argument is positive, or an error naming the op and the argument. */
    public static void positive(String op, String what, int v) {
        if (v <= 0) throw new IllegalArgumentException(op + ": " + what + " = " + v + " (want > 0)");
    }
}
