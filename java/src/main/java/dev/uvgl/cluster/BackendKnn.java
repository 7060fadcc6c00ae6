package dev.uvgl.cluster;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.backend.TopK;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Progress;

/**
 * Exact kNN with the candidates from the backend's nearestRows (on a GPU or the emulator: knn.cu, 32
 * candidates per row in registers, never the N x N similarity), ranked exactly on the host by the same code
 * as {@link BlasKnn}: so the lists equal BlasKnn's, ties and bit-identical copies included. The device sees
 * the distinct rows only, once per pass, inside one scope.
 */
public final class BackendKnn implements KnnSearch {
    /** knn.cu's register lists hold 32 entries; beyond that the backend's tiled path serves. */
    static final int DEVICE_CANDIDATES = 32, MARGIN = 8;

    private final Backend backend;
    private volatile int lastFallbacks;

    public BackendKnn(Backend backend) { this.backend = backend; }

    /** Rows recomputed against every row because float32 could not decide them. */
    public int lastFallbacks() { return lastFallbacks; }

    @Override public NeighbourLists search(UnitRows rows, IdenticalRows groups, int k, Progress.Factory progress) {
        int n = rows.n(), d = rows.dim(), u = groups.groups();
        if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " needs between 1 and " + n + " rows");
        // k + 8 as BlasKnn when that fits the kernel's lists; at k1 = 30 the margin is 2.
        int kc = Math.min(u, k <= DEVICE_CANDIDATES ? Math.min(k + MARGIN, DEVICE_CANDIDATES) : k + MARGIN);
        float[] distinct = new float[u * d];
        for (int g = 0; g < u; g++) System.arraycopy(rows.data(), groups.firstRow(g) * d, distinct, g * d, d);
        TopKBuffers best = new TopKBuffers(u, kc);
        try (Progress bar = progress.start("kNN on " + backend.name(), 1); Scope pass = backend.scope()) {
            Tensor x = backend.fromArray(distinct, Shape.of(u, d));
            TopK top = backend.nearestRows(x, x, kc);
            float[] v = top.values().toFloatArray();
            int[] idx = top.indices();
            for (int g = 0; g < u; g++) {
                for (int t = 0; t < kc; t++) best.offer(g, v[g * kc + t], idx[g * kc + t]);
                best.finish(g);
            }
            bar.step(1);
        }
        int[] fallbacks = new int[1];
        NeighbourLists lists = BlasKnn.exactLists(rows, groups, k, kc, best, fallbacks);
        lastFallbacks = fallbacks[0];
        return lists;
    }
}
