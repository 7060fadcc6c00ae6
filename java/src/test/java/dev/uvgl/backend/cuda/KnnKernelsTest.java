package dev.uvgl.backend.cuda;

import dev.uvgl.testing.EmuKernelTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** knn.cu's top-k on the emulated device against a float64 reference: split key sets, ties, one query, k = N. */
class KnnKernelsTest extends EmuKernelTest {

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
