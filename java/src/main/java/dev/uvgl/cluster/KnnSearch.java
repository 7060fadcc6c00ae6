package dev.uvgl.cluster;

import dev.uvgl.util.Progress;

/**
 * Exact k nearest neighbours of unit rows, by Euclidean distance (equivalently by descending
 * x_i . x_j), ties by ascending index, bit-identical rows sharing one list. The CPU implementation
 * is {@link BlasKnn}; a GPU one (the CUDA kernels issue) plugs in here and must return the same lists.
 */
public interface KnnSearch {
    NeighbourLists search(UnitRows rows, IdenticalRows groups, int k, Progress.Factory progress);
}
