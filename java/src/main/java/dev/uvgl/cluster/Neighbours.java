package dev.uvgl.cluster;

/**
 * Each row's k nearest rows (self usually first), ordered by (distance, index): row i's list is
 * index[i*k .. i*k+k), with squared Euclidean distances 2 - 2 x_i.x_j of unit vectors in dist.
 */
public record Neighbours(int n, int k, int[] index, float[] dist) {
    public int at(int i, int rank) { return index[i * k + rank]; }
}
