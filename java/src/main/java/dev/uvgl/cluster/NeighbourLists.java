package dev.uvgl.cluster;

/**
 * L(i) of dmnil.md section 6 for every row: its k nearest rows ordered by (distance, index),
 * row-major [n, k]. Self is usually first but not always (bit-identical copies share one list).
 */
public record NeighbourLists(int n, int k, int[] index) {
    public NeighbourLists {
        if ((long) n * k != index.length)
            throw new IllegalArgumentException(index.length + " entries do not make " + n + " lists of " + k);
    }

    public int at(int row, int t) { return index[row * k + t]; }

    /** Whether `row` is among the first `len` entries of L(owner). */
    public boolean headContains(int owner, int len, int row) {
        for (int t = 0, o = owner * k; t < len; t++) if (index[o + t] == row) return true;
        return false;
    }
}
