package dev.uvgl.backend.cuda;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.EmuDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** knn.cu's top-k on the emulated device against a float64 reference: split key sets, ties, one query, k = N. */
class KnnKernelsTest {

    EmuDevice dev;
    CachingAllocator alloc;
    final List<DeviceBuffer> live = new ArrayList<>();

    @BeforeEach void open() { dev = EmuDevice.open(EmuDevice.Config.defaults()); alloc = new CachingAllocator(dev); }
    @AfterEach void close() { for (DeviceBuffer b : live) alloc.free(b); alloc.close(); }

    long up(float[] a) {
        DeviceBuffer b = alloc.allocate(4L * a.length, "test floats");
        live.add(b);
        dev.copyIn(b.address(), a, 0, a.length);
        return b.address();
    }
    long up(int[] a) {
        DeviceBuffer b = alloc.allocate(4L * a.length, "test ints");
        live.add(b);
        dev.copyIn(b.address(), a, 0, a.length);
        return b.address();
    }
    long nan(int n) { float[] p = new float[n]; Arrays.fill(p, Float.NaN); return up(p); }
    float[] down(long address, int n) { float[] a = new float[n]; dev.copyOut(address, a, 0, n); return a; }
    int[] downInts(long address, int n) { int[] a = new int[n]; dev.copyOut(address, a, 0, n); return a; }

    static float[] unitRows(SplittableRandom r, int rows, int dim) {
        float[] a = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) { double v = r.nextGaussian(); a[i * dim + j] = (float) v; sq += v * v; }
            for (int j = 0; j < dim; j++) a[i * dim + j] = (float) (a[i * dim + j] / Math.sqrt(sq));
        }
        return a;
    }

    /** Reference lists by float64 score, ties to the lower index; keys with every 4th row a copy. */
    void checkTopK(int queries, int n, int dim, int k, boolean squared, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] q = unitRows(r, queries, dim), keys = unitRows(r, n, dim);
        for (int j = 2; j < n; j += 4) System.arraycopy(keys, (j - 2) * dim, keys, j * dim, dim);
        long values = nan(queries * k), indices = up(new int[queries * k]);
        KnnKernels.topK(dev, alloc, values, indices, up(q), queries, up(keys), n, dim, k, squared);
        float[] gv = down(values, queries * k);
        int[] gi = downInts(indices, queries * k);
        for (int i = 0; i < queries; i++) {
            double[] score = new double[n];
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int e = 0; e < dim; e++) {
                    double a = q[i * dim + e], b = keys[j * dim + e];
                    s += squared ? -(a - b) * (a - b) : a * b;
                }
                score[j] = s;
                order[j] = j;
            }
            Arrays.sort(order,
                    (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
            for (int p = 0; p < k; p++) {
                int want = order[p], got = gi[i * k + p];
                double gap = Math.abs(score[got] - score[want]);
                assertTrue(got == want || (gap > 0 && gap < 1e-5),
                        "query " + i + " rank " + p + ": index " + got + ", want " + want);
                double wantValue = squared ? -score[want] : score[want];
                assertEquals(wantValue, gv[i * k + p], 1e-5, "query " + i + " rank " + p);
            }
        }
    }

    @Test void topKOfDotProductsAcrossSplitKeys() { checkTopK(40, 300, 33, 30, false, 13); }

    @Test void topKOfSquaredDistancesTiesToTheLowerIndex() { checkTopK(9, 150, 20, 10, true, 14); }

    @Test void topKOfOneQueryAndOfAllKeys() {
        checkTopK(1, 70, 16, 10, false, 15);
        checkTopK(3, 7, 5, 7, true, 16);
    }

    @Test void topKRefusesAKLargerThanTheKeysOrThirtyTwo() {
        assertThrows(IllegalArgumentException.class, () -> KnnKernels.topK(dev, alloc, 0, 0, 0, 1, 0, 5, 4, 6, false));
        assertThrows(IllegalArgumentException.class,
                () -> KnnKernels.topK(dev, alloc, 0, 0, 0, 1, 0, 50, 4, 33, false));
    }
}
