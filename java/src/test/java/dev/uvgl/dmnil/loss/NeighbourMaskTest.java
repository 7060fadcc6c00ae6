package dev.uvgl.dmnil.loss;

import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;

import static dev.uvgl.dmnil.loss.NeighbourData.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourMaskTest {
    /**
     * Query 0 = (1, 0) scores the first memory 1, 0.95, 0.9, 0.5 (0.9 is not above 0.9 x 1) and the
     * second 0.96, 1, 0.2, 0.5: both pass {0, 1}. Query 1 = (-1, 0) has a negative best (-0.5), whose
     * 0.9 x is above every score: no neighbour, n = 1. Query 2 = (0, 1) passes {3} on the first path
     * and {2} on the second: the intersection is empty.
     */
    @Test void handBuiltCaseIntersectsBothPathsWithStrictRatio() {
        double[] q = {1, 0, -1, 0, 0, 1};
        double[] m = {1, 0, 0.95, 0, 0.9, 0, 0.5, 1};
        double[] ms = {0.96, 0, 1, 0, 0.2, 1, 0.5, 0.5};
        NeighbourMask mask = NeighbourMask.of(tensor(q, DType.F64, 3, 2), tensor(m, DType.F64, 4, 2),
                tensor(q, DType.F64, 3, 2), tensor(ms, DType.F64, 4, 2), 0.9);
        assertEquals(3, mask.rows());
        assertEquals(4, mask.columns());
        assertArrayEquals(new int[] {0, 1}, mask.neighbours(0));
        assertArrayEquals(new int[0], mask.neighbours(1));
        assertArrayEquals(new int[0], mask.neighbours(2));
        assertEquals(3, mask.divisor(0));
        assertEquals(1, mask.divisor(1));
    }

    @Test void equalsDenseRecomputationOnRandomClusters() {
        int n = 300, d = 8, b = 40;
        double[] m = NeighbourData.clustered(1, n, d, 6, 0.4), ms = NeighbourData.perturbed(2, m, d, 0.2);
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) idx[i] = (i * 37) % n;
        double[] q = NeighbourData.rows(m, d, idx), qs = NeighbourData.rows(ms, d, idx);
        boolean[][] want = PlainNeighbour.mask(q, m, qs, ms, b, n, d, 0.9);
        for (DType t : DType.values()) {
            NeighbourMask mask = NeighbourMask.of(tensor(q, t, b, d), tensor(m, t, n, d), tensor(qs, t, b, d),
                    tensor(ms, t, n, d), 0.9);
            boolean[][] got = PlainNeighbour.dense(mask);
            int total = 0;
            for (int i = 0; i < b; i++) {
                assertArrayEquals(want[i], got[i], t + " row " + i);
                total += mask.count(i);
            }
            assertTrue(total > 2 * b, "the data should give rows several neighbours, got " + total);
        }
    }

    @Test void rejectsUnsortedOrOutOfRangeLists() {
        assertThrows(IllegalArgumentException.class, () -> new NeighbourMask(5, new int[][] {{2, 1}}));
        assertThrows(IllegalArgumentException.class, () -> new NeighbourMask(5, new int[][] {{5}}));
        assertThrows(IllegalArgumentException.class, () -> new NeighbourMask(5, new int[][] {{1, 1}}));
    }
}
