package dev.uvgl.backend.cuda;

/**
 * How a sum over one axis is split for the two-pass reduction of reduce.cu: `splits` slices of `chunk`
 * elements each, a function of the shape only, so the order of every addition, and the result, is fixed.
 */
public record ReducePlan(int splits, int chunk) {
    /** Elements one warp sums per slice of a contiguous row: long enough to amortise the warp tree. */
    static final int ROW_CHUNK = 2048;
    static final int MAX_SPLITS = 8192;
    /** Threads the column form aims for: enough to cover an H100's 132 SMs a couple of times over. */
    static final int COLUMN_THREADS = 1 << 16;

    /** Contiguous rows of `cols` elements: slices of about ROW_CHUNK, chunk a multiple of 4 for float4 loads. */
    public static ReducePlan rows(int cols) {
        long chunk = Math.max(ROW_CHUNK, ((long) cols + MAX_SPLITS - 1) / MAX_SPLITS);
        chunk = (chunk + 3) / 4 * 4;
        int splits = (int) Math.max(1, (cols + chunk - 1) / chunk);
        return new ReducePlan(splits, (int) chunk);
    }

    /** `outputs` columns each summing `n` strided elements: split n until about COLUMN_THREADS threads run. */
    public static ReducePlan columns(long outputs, int n) {
        long want = Math.max(1, COLUMN_THREADS / Math.max(1, outputs));
        long splits = Math.max(1, Math.min(want, ((long) n + 15) / 16));
        int chunk = (int) Math.max(1, (n + splits - 1) / splits);
        return new ReducePlan((int) Math.max(1, ((long) n + chunk - 1) / chunk), chunk);
    }
}
