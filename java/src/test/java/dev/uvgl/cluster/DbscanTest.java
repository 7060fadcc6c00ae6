package dev.uvgl.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbscanTest {
    /** A symmetric sparse distance from (i, j, d) triples; `selfAt` >= 0 stores d(i, i) = selfAt for every row. */
    static SparseRows distances(int n, double selfAt, double[][] pairs) {
        List<List<double[]>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(new ArrayList<>());
        for (double[] p : pairs) {
            rows.get((int) p[0]).add(new double[] {p[1], p[2]});
            rows.get((int) p[1]).add(new double[] {p[0], p[2]});
        }
        if (selfAt >= 0) for (int i = 0; i < n; i++) rows.get(i).add(new double[] {i, selfAt});
        SparseRows.Builder b = new SparseRows.Builder();
        for (List<double[]> r : rows) {
            r.sort((a, c) -> Double.compare(a[0], c[0]));
            for (double[] e : r) b.add((int) e[0], (float) e[1]);
            b.endRow();
        }
        return SparseRows.concat(new SparseRows.Builder[] {b});
    }

    @Test void chainBorderPointsAndNoiseAsScikitLearn() {
        // 0-1-2-3-4 a chain at 0.1; 5 joins 4 at 0.35 (within eps 0.4, not 0.3); 6-7-8 a second chain; 9 alone.
        SparseRows d = distances(10, 0, new double[][] {{0, 1, .1}, {1, 2, .1}, {2, 3, .1}, {3, 4, .1}, {4, 5, .35},
                {6, 7, .2}, {7, 8, .2}, {6, 8, .2}, {8, 9, .9}});
        // min_samples 3 counts the point itself: 1, 2, 3 are core (self + two), 0 and 4 border; 6, 7, 8 core.
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, -1, 1, 1, 1, -1}, Dbscan.labels(d, 0.3, 3));
        // At eps 0.4, 4 has three neighbours (3, 5, itself) and becomes core, pulling 5 in as a border point.
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, -1}, Dbscan.labels(d, 0.4, 3));
    }

    @Test void aBorderPointGoesToTheFirstClusterThatReachesIt() {
        // Cores {0, 1, 5, 6} and {3, 4, 7, 8} (each fully linked at 0.1); 2 is within eps of 1 and of 3 but has
        // only three neighbours with itself, so it is a border point of both: the first cluster takes it.
        SparseRows d = distances(9, 0,
                new double[][] {{0, 1, .1}, {0, 5, .1}, {0, 6, .1}, {1, 5, .1}, {1, 6, .1}, {5, 6, .1},
                {3, 4, .1}, {3, 7, .1}, {3, 8, .1}, {4, 7, .1}, {4, 8, .1}, {7, 8, .1}, {1, 2, .3}, {2, 3, .3}});
        int[] labels = Dbscan.labels(d, 0.3, 4);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0, 0, 1, 1}, labels);
        assertEquals(2, Dbscan.clusterCount(labels));
        assertEquals(0, Dbscan.noiseCount(labels));
    }

    @Test void aPointCountsItselfOnlyWhenItsOwnDistanceIsStoredWithinEps() {
        double[][] star = {{0, 1, .1}, {0, 2, .1}, {0, 3, .1}};
        assertEquals(0, Dbscan.labels(distances(4, 0, star), 0.3, 4)[0], "self + three neighbours make a core point");
        assertTrue(Dbscan.labels(distances(4, -1, star), 0.3, 4)[0] == -1,
                "without d(0, 0) stored, 0 has three neighbours");
    }

    @Test void epsMustLieInsideTheUnitInterval() {
        SparseRows d = distances(2, 0, new double[][] {});
        assertThrows(BadInput.class, () -> Dbscan.labels(d, 1.0, 4));
        assertThrows(BadInput.class, () -> Dbscan.labels(d, 0, 4));
    }

    @Test void labelAgreementSeesRenamingsAndNothingElse() {
        assertTrue(LabelAgreement.sameUpToRenaming(new int[] {0, 0, 1, -1, 2}, new int[] {5, 5, 3, -1, 0}));
        assertTrue(!LabelAgreement.sameUpToRenaming(new int[] {0, 0, 1, -1}, new int[] {1, 1, 1, -1}));
        assertTrue(!LabelAgreement.sameUpToRenaming(new int[] {0, 1}, new int[] {0, -1}));
        assertEquals(1.0, LabelAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12);
        assertTrue(LabelAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}) < 0);
    }
}
