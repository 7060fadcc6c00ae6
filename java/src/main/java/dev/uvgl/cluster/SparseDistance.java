package dev.uvgl.cluster;

/**
 * A symmetric-in-meaning distance stored sparsely, one row per point (CSR): row i's stored pairs are
 * cols[rowStart[i] .. rowStart[i+1]) ascending, with their distances; every pair not stored is 1.
 */
public record SparseDistance(int n, int[] rowStart, int[] cols, float[] values) {
    public long stored() { return rowStart[n]; }

    /** d(i, j): the stored value, or 1. */
    public float get(int i, int j) {
        int p = java.util.Arrays.binarySearch(cols, rowStart[i], rowStart[i + 1], j);
        return p >= 0 ? values[p] : 1f;
    }
}
