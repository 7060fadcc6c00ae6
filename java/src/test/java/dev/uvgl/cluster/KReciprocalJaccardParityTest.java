package dev.uvgl.cluster;

import dev.uvgl.util.Progress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sparse engine against the dense float64 reference of dmnil.md section 6 and scikit-learn's
 * DBSCAN, on fixtures from a few hundred rows to 2000 (one with bit-identical replicated rows).
 */
class KReciprocalJaccardParityTest {
    static Stream<String> fixtures() { return Stream.of(ClusterFixture.NAMES); }

    @ParameterizedTest @MethodSource("fixtures")
    void neighbourListsDistancesAndLabelsMatchTheDenseReference(String name) throws Exception {
        ClusterFixture f = ClusterFixture.load(name);
        // Small tiles: many off-diagonal tiles, so both the row and the column feeding of the heaps run.
        KReciprocalJaccard jaccard = new KReciprocalJaccard(ClusterFixture.K1, ClusterFixture.K2, new BlasKnn(96, 8));
        KReciprocalJaccard.Result r = jaccard.compute(f.rows(), 1.0, Progress.NONE);

        long[] knn = f.longs("knn.npy");
        int[] lists = r.lists().index();
        for (int p = 0; p < knn.length; p++)
            if (lists[p] != knn[p])
                fail(name + ": L(" + p / ClusterFixture.K1 + ")[" + p % ClusterFixture.K1 + "] = " + lists[p]
                        + ", reference " + knn[p]);

        SparseRows d = r.distances();
        long[] count = f.longs("shared_count.npy");
        float[] mean = f.floats("shared_mean.npy");
        for (int i = 0; i < f.n(); i++) {
            assertEquals(count[i], d.rowEnd(i) - d.rowStart(i), name + ": stored pairs of row " + i);
            double sum = 0;
            for (int p = d.rowStart(i); p < d.rowEnd(i); p++) sum += d.val(p);
            double m = count[i] == 0 ? 0 : sum / count[i];
            assertEquals(mean[i], m, 1e-5, name + ": mean stored distance of row " + i);
        }
        long[] pi = f.longs("pair_i.npy"), pj = f.longs("pair_j.npy");
        float[] pd = f.floats("pair_d.npy");
        int absent = 0;
        for (int s = 0; s < pi.length; s++) {
            float got = d.get((int) pi[s], (int) pj[s], Float.NaN);
            if (Float.isNaN(got)) {
                absent++;
                assertEquals(1.0f, pd[s],
                        name + ": pair (" + pi[s] + ", " + pj[s] + ") is not stored but its dense distance is not 1");
            } else {
                assertEquals(pd[s], got, 1e-5, name + ": d(" + pi[s] + ", " + pj[s] + ")");
            }
        }
        assertTrue(absent < pi.length, "no sampled pair is stored");

        for (double eps : new double[] {0.40, 0.30}) {
            long[] want = f.labels(eps);
            int[] got = Dbscan.labels(d, eps, ClusterFixture.MIN_SAMPLES);
            assertArrayEquals(want, Arrays.stream(got).asLongStream().toArray(),
                    name + ": DBSCAN labels at eps " + eps);
            // The pipeline stores only pairs within eps; its labels must not change.
            JaccardDbscan.Outcome o = JaccardDbscan.run(f.features().data(), f.n(), f.dim(),
                    new JaccardDbscan.Settings(ClusterFixture.K1, ClusterFixture.K2, eps, ClusterFixture.MIN_SAMPLES),
                    BlasKnn.standard(), Progress.NONE);
            assertArrayEquals(got, o.labels(), name + ": pipeline labels at eps " + eps);
            assertTrue(o.storedPairs() <= d.nonZeros());
        }
    }
}
