package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.cluster.Clustering;
import dev.uvgl.cluster.CpuKNearest;
import dev.uvgl.util.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * `bench cluster`: the clustering pipeline on N random clustered features (a mixture with known
 * structure), time and peak heap; with --dense, the dense numpy + scikit-learn reference on the same
 * features in the same run.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Time and peak heap of kNN + k-reciprocal Jaccard + DBSCAN on N clustered random features.")
public final class ClusterBenchCommand implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "20000", description = "rows (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--dim", defaultValue = "768", description = "feature size (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--dense", description = "also time the dense reference java/src/test/python/make_cluster_fixtures.py (needs numpy + scikit-learn)")
    boolean dense;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "python for --dense (default: ${DEFAULT-VALUE})")
    String python;

    @Override public Integer call() throws Exception {
        if (n < 32 || dim < 2) throw new UserError("need --n >= 32 and --dim >= 2");
        float[] x = mixture(n, dim, 7);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        System.gc();
        long before = heapPeak();
        Clustering.Result r = new Clustering(new CpuKNearest(CpuBackend.INSTANCE), 30, 6, 0.4, 4).run(x, n, dim);
        long peak = heapPeak();
        System.out.printf("engine: n=%d dim=%d: %.2f s, %d clusters, %d outliers, %.1f stored pairs per row, peak heap %.0f MiB (%.0f MiB before)%n",
                n, dim, r.seconds(), r.clusters(), r.noise(), r.storedPairs() / (double) n, peak / 1048576.0, before / 1048576.0);
        if (dense) {
            Path tmp = Files.createTempFile("uvgl-bench-cluster", ".npy");
            Npy.writeFloats(tmp, x, n, dim);
            long t = System.nanoTime();
            Process p = new ProcessBuilder(python, "java/src/test/python/make_cluster_fixtures.py", "--time", tmp.toString()).inheritIO().start();
            int rc = p.waitFor();
            System.out.printf("dense reference: exit %d, %.2f s wall including numpy start-up; its N x N float64 matrices need %.1f GB each%n",
                    rc, (System.nanoTime() - t) / 1e9, 8.0 * n * n / 1e9);
            Files.deleteIfExists(tmp);
        }
        return 0;
    }

    /** n unit-ish rows around n/40 centres plus 10% uniform outliers, shuffled. */
    static float[] mixture(int n, int dim, long seed) {
        Random rng = new Random(seed);
        int centres = Math.max(1, n / 40), outliers = n / 10;
        float[][] c = new float[centres][dim];
        for (float[] v : c) for (int t = 0; t < dim; t++) v[t] = (float) rng.nextGaussian();
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            boolean out = i < outliers;
            float[] centre = c[rng.nextInt(centres)];
            for (int t = 0; t < dim; t++) x[i * dim + t] = out ? (float) rng.nextGaussian() : centre[t] + 0.4f * (float) rng.nextGaussian();
        }
        return x;
    }

    private static long heapPeak() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) s += p.getPeakUsage().getUsed();
        return s;
    }
}
