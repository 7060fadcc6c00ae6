package dev.uvgl.backend.cuda;

import dev.uvgl.device.Dim3;

import java.util.Arrays;

/**
 * The parameter table of uvgl_sgd_step_all_f32: per parameter 12 floats, its param, momentum buffer and
 * gradient addresses and its element count, each as three exact 22-bit integers (a float holds any
 * integer below 2^24 exactly, so the table survives the float copy path bit for bit).
 */
public final class SgdTable {
    /** grid.y picks the parameter, and grid.y is at most 65535. */
    public static final int MAX_PER_LAUNCH = 65535;
    static final int FLOATS_PER_ENTRY = 12;
    private static final long MASK22 = (1L << 22) - 1;

    private float[] table = new float[FLOATS_PER_ENTRY * 8];
    private int entries;
    private long largest;

    public void add(long param, long buffer, long grad, long elements) {
        if (entries == MAX_PER_LAUNCH)
            throw new IllegalStateException("an SGD table holds at most " + MAX_PER_LAUNCH + " parameters");
        if (table.length < FLOATS_PER_ENTRY * (entries + 1)) table = Arrays.copyOf(table, table.length * 2);
        int at = FLOATS_PER_ENTRY * entries++;
        put(at, param);
        put(at + 3, buffer);
        put(at + 6, grad);
        put(at + 9, elements);
        largest = Math.max(largest, elements);
    }

    private void put(int at, long v) {
        if (v < 0 || v >>> 44 > MASK22)
            throw new IllegalArgumentException("SGD table value " + v + " does not fit 66 bits");
        table[at] = v & MASK22;
        table[at + 1] = (v >>> 22) & MASK22;
        table[at + 2] = v >>> 44;
    }

    public float[] floats() { return Arrays.copyOf(table, FLOATS_PER_ENTRY * entries); }

    public int size() { return entries; }

    /** Columns of blocks enough for the largest parameter (grid-stride beyond 256), one row per parameter. */
    public LaunchShape launchShape() {
        int x = (int) Math.max(1, Math.min(256, (largest + LaunchShape.THREADS - 1) / LaunchShape.THREADS));
        return new LaunchShape(new Dim3(x, Math.max(1, entries), 1), Dim3.of(LaunchShape.THREADS));
    }
}
