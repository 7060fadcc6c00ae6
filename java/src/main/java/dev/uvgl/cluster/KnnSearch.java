package dev.uvgl.cluster;

import dev.uvgl.backend.Backend;
import dev.uvgl.util.Progress;

/**
 * Exact k nearest neighbours of unit rows, by Euclidean distance (equivalently by descending
 * x_i . x_j), ties by ascending index, bit-identical rows sharing one list. The CPU implementation
 * is {@link BlasKnn}; the device one is {@link BackendKnn} (knn.cu's candidates), and both return the same
 * lists: the exact ones, decided in double precision wherever float32 cannot.
 */
public interface KnnSearch {
    NeighbourLists search(UnitRows rows, IdenticalRows groups, int k, Progress.Factory progress);

    /** BlasKnn when tensors live on the host; the device's own kNN when the backend runs on a GPU or the emulator. */
    static KnnSearch forBackend(Backend be) {
        return be.onHost() ? BlasKnn.standard() : new BackendKnn(be);
    }
}
