package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.harness.ClusteredMixture;
import dev.uvgl.util.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clustering kNN with knn.cu's candidates on the emulated device gives BlasKnn's lists exactly: bit-
 * identical copies (ties to the lowest copies), near-ties float32 cannot order (the exact fallback), and
 * then the same Jaccard + DBSCAN labels. The CPU backend's nearestRows serves the same class as a check of
 * the class itself.
 */
class BackendKnnTest {
    private static CudaBackend emu;

    @BeforeAll static void open() {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load in CI: " + lib.detail());
        emu = new CudaBackend(EmuDevice.open(EmuDevice.Config.defaults()));
    }

    @AfterAll static void close() { emu.close(); }

    @Test void listsEqualBlasKnnWithReplicatedRows() {
        UnitRows rows = BlasKnnTest.withCopies(500, 96, 200, 7);
        IdenticalRows groups = IdenticalRows.of(rows);
        int[] want = BlasKnn.standard().search(rows, groups, 30, Progress.NONE).index();
        assertArrayEquals(BlasKnnTest.bruteForce(rows, groups, 30), want, "BlasKnn itself");
        int live = emu.liveBlocks();
        assertArrayEquals(want, new BackendKnn(emu).search(rows, groups, 30, Progress.NONE).index(), "emulated device");
        assertEquals(live, emu.liveBlocks(), "the pass's scope gave its device memory back");
        assertArrayEquals(want, new BackendKnn(CpuBackend.INSTANCE).search(rows, groups, 30, Progress.NONE).index(),
                "CPU backend");
    }

    @Test void nearTiesFallBackToExactProductsAsBlasKnnDoes() {
        Random rng = new Random(3);
        int n = 200, dim = 64;
        float[] base = new float[dim], x = new float[n * dim];
        for (int k = 0; k < dim; k++) base[k] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) for (int k = 0; k < dim; k++) x[i * dim + k] = base[k]
                + (float) (1e-5 * rng.nextGaussian());
        UnitRows rows = UnitRows.normalise(x, n, dim);
        IdenticalRows groups = IdenticalRows.of(rows);
        BackendKnn knn = new BackendKnn(emu);
        int[] got = knn.search(rows, groups, 30, Progress.NONE).index();
        assertTrue(knn.lastFallbacks() > 0, "no row needed the exact fallback; the test does not exercise it");
        assertArrayEquals(BlasKnnTest.bruteForce(rows, groups, 30), got);
    }

    @Test void pseudoLabelsEqualTheCpuPipelines() {
        ClusteredMixture m = ClusteredMixture.draw(600, 48, 20, 0.2, 0.8, 11);
        JaccardDbscan.Settings s = new JaccardDbscan.Settings(30, 6, 0.4, 4);
        JaccardDbscan.Outcome cpu = JaccardDbscan.run(m.features(), m.n(), m.dim(), s, BlasKnn.standard(),
                Progress.NONE);
        JaccardDbscan.Outcome dev = JaccardDbscan.run(m.features(), m.n(), m.dim(), s, KnnSearch.forBackend(emu),
                Progress.NONE);
        assertTrue(cpu.clusters() > 5, "the mixture should cluster: " + cpu.clusters());
        assertArrayEquals(cpu.labels(), dev.labels());
    }
}
