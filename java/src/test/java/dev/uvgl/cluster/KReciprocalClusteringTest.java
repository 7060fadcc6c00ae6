package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.util.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the dense reference (java/src/test/python/make_cluster_fixtures.py: the spec written out
 * N x N in numpy, and scikit-learn's DBSCAN): stored distances equal the dense ones to 1e-5, every
 * pair not stored is 1 there, and the labels are scikit-learn's up to renaming.
 */
class KReciprocalClusteringTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(KReciprocalClusteringTest.class.getResource("/fixtures/cluster/" + name).toURI());
    }

    @ParameterizedTest
    @CsvSource({"mixture_eps04, 0.4", "mixture_eps03, 0.3", "many_outliers, 0.4", "single_cluster, 0.4", "no_cluster, 0.3", "replicated_tiles, 0.3"})
    void matchesTheDenseReferenceAndScikitLearn(String name, double eps) throws Exception {
        Npy.Floats f = Npy.readFloats(fixture(name + ".features.npy"));
        int n = f.shape()[0], d = f.shape()[1];
        long[] want = Npy.readLongs(fixture(name + ".labels.npy"));
        long[] rows = Npy.readLongs(fixture(name + ".rows.npy"));
        float[] dense = Npy.readFloats(fixture(name + ".dist.npy")).data();

        float[] u = Clustering.normalised(f.data(), n, d);
        Neighbours lists = new CpuKNearest(CpuBackend.INSTANCE).search(u, n, d, 30);
        SparseDistance dist = new KReciprocalJaccard(30, 6).compute(lists, u, d);
        for (int r = 0; r < rows.length; r++) {
            int i = (int) rows[r];
            for (int j = 0; j < n; j++) {
                float ref = dense[r * n + j], got = dist.get(i, j);
                assertTrue(Math.abs(got - ref) <= 1e-5, name + ": d(" + i + "," + j + ") = " + got + ", dense reference " + ref);
            }
        }
        int[] labels = new Dbscan(eps, 4).labels(dist);
        assertSameUpToRenaming(name, want, labels);
        int clusters = (int) java.util.Arrays.stream(want).max().orElse(-1) + 1;
        assertEquals(clusters, new Clustering(new CpuKNearest(CpuBackend.INSTANCE), 30, 6, eps, 4).run(f.data(), n, d).clusters());
    }

    private static void assertSameUpToRenaming(String name, long[] want, int[] got) {
        assertEquals(want.length, got.length);
        Map<Long, Integer> forward = new HashMap<>();
        Map<Integer, Long> back = new HashMap<>();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i] == -1, got[i] == -1, name + ": point " + i + " noise in one labelling only");
            if (want[i] == -1) continue;
            Integer f = forward.putIfAbsent(want[i], got[i]);
            Long b = back.putIfAbsent(got[i], want[i]);
            assertTrue((f == null || f == got[i]) && (b == null || b == want[i]), name + ": point " + i + " breaks the label correspondence");
        }
    }
}
