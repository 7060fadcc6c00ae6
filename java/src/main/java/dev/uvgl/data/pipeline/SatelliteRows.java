package dev.uvgl.data.pipeline;

/**
 * Virtual replication of satellite tiles (dmnil.md section 1): `repeat` rows per tile, as the
 * reference's 49 files per tile folder would sort (tile 0 copies, then tile 1 copies, ...), with no
 * file copied. Every row is its own sample everywhere; it maps back to its tile for decoding.
 */
public record SatelliteRows(int tiles, int repeat) {
    public SatelliteRows {
        if (tiles < 0 || repeat < 1)
            throw new IllegalArgumentException("need tiles >= 0 and repeat >= 1, got " + tiles + ", " + repeat);
    }

    public int rows() { return tiles * repeat; }

    public int tileOf(int row) {
        if (row < 0 || row >= rows()) throw new IndexOutOfBoundsException("row " + row + " of " + rows());
        return row / repeat;
    }
}
