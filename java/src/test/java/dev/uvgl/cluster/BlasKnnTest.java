package dev.uvgl.cluster;

import dev.uvgl.util.Progress;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlasKnnTest {
    /** Every list by brute force: all rows, exact products between group representatives, sorted by (score, index). */
    static int[] bruteForce(UnitRows rows, IdenticalRows groups, int k) {
        int n = rows.n();
        int[] out = new int[n * k];
        for (int i = 0; i < n; i++) {
            double[] s = new double[n];
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                s[j] = rows.dot(groups.firstRow(groups.groupOf(i)), groups.firstRow(groups.groupOf(j)));
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b));
            for (int t = 0; t < k; t++) out[i * k + t] = order[t];
        }
        return out;
    }

    /** Gaussian rows; some replaced by bit-identical copies of others, scattered over the index range. */
    static UnitRows withCopies(int n, int dim, int copied, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int c = 0; c < copied; c++) {  // eight source rows, many copies each, spread over the rows
            int from = rng.nextInt(8), to = 8 + (int) ((long) c * (n - 8) / copied);
            System.arraycopy(x, from * dim, x, to * dim, dim);
        }
        return UnitRows.normalise(x, n, dim);
    }

    @Test void listsEqualBruteForceAcrossTileSizesWithReplicatedRows() {
        UnitRows rows = withCopies(700, 768, 300, 7);
        IdenticalRows groups = IdenticalRows.of(rows);
        assertEquals(400, groups.groups(), "copies were not grouped");
        int[] want = bruteForce(rows, groups, 30);
        for (int tile : new int[] {64, 250, 4096}) {
            BlasKnn knn = new BlasKnn(tile, 8);
            NeighbourLists got = knn.search(rows, groups, 30, Progress.NONE);
            assertArrayEquals(want, got.index(), "tile " + tile);
        }
        // A copy beyond the 30th lowest-indexed one is in nobody's list, as section 6 says.
        int copies = 0;
        for (int g = 0; g < groups.groups(); g++) if (groups.size(g) > 30) copies++;
        assertTrue(copies > 0, "the test data should hold a group of more than k1 copies");
    }

    @Test void nearTiesBeyondFloat32AreResolvedExactly() {
        // Rows within ~1e-6 of one direction: float32 products cannot order them, so with no margin
        // the ranking must fall back to exact products against every row, and still be exact.
        Random rng = new Random(3);
        int n = 300, dim = 64;
        float[] base = new float[dim], x = new float[n * dim];
        for (int k = 0; k < dim; k++) base[k] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++)
            for (int k = 0; k < dim; k++) x[i * dim + k] = base[k] + (float) (1e-5 * rng.nextGaussian());
        UnitRows rows = UnitRows.normalise(x, n, dim);
        IdenticalRows groups = IdenticalRows.of(rows);
        BlasKnn knn = new BlasKnn(128, 0);
        NeighbourLists got = knn.search(rows, groups, 10, Progress.NONE);
        assertTrue(knn.lastFallbacks() > 0, "no row needed the exact fallback; the test does not exercise it");
        assertArrayEquals(bruteForce(rows, groups, 10), got.index());
    }

    @Test void identicalRowsShareOneListOfTheLowestCopies() {
        float[] x = new float[40 * 4];
        for (int i = 0; i < 40; i++) {
            x[i * 4] = i % 2 == 0 ? 1 : 0;  // two directions, 20 copies each, interleaved
            x[i * 4 + 1] = i % 2 == 0 ? 0 : 1;
        }
        UnitRows rows = UnitRows.normalise(x, 40, 4);
        NeighbourLists l = BlasKnn.standard().search(rows, IdenticalRows.of(rows), 5, Progress.NONE);
        for (int i = 0; i < 40; i += 2)
            assertArrayEquals(new int[] {0, 2, 4, 6, 8}, java.util.Arrays.copyOfRange(l.index(), i * 5, i * 5 + 5));
        for (int i = 1; i < 40; i += 2)
            assertArrayEquals(new int[] {1, 3, 5, 7, 9}, java.util.Arrays.copyOfRange(l.index(), i * 5, i * 5 + 5));
        assertEquals(2, IdenticalRows.of(rows).groups());
    }
}
