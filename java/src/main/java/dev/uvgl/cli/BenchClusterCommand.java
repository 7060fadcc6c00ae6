package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.Blas;
import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.harness.ClusteredMixture;
import dev.uvgl.harness.DenseReference;
import dev.uvgl.cluster.JaccardDbscan;
import dev.uvgl.cluster.KnnSearch;
import dev.uvgl.cluster.LabelAgreement;
import dev.uvgl.harness.PeakMemory;
import dev.uvgl.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * `bench cluster`: the clustering pipeline's time and memory on random clustered features, beside the dense reference.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Times k-reciprocal Jaccard + DBSCAN on N random clustered features "
                        + "(a mixture with known structure)",
                "and the dense N x N Python reference on the same features in the same run "
                        + "(up to --reference-up-to rows;",
                "beyond, its computed memory need). Prints one line per N and a markdown table."},
        footer = {"", "Examples:", "  java -jar engine.jar bench cluster --n 20000",
                "  java -jar engine.jar bench cluster --n 5000,10000,20000,37854,100000"})
public final class BenchClusterCommand implements Runnable {
    @Option(names = "--n", split = ",", defaultValue = "20000",
            description = "rows, comma-separated for a scaling table (default: ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--dim", defaultValue = "768", description = "feature dimension (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--cluster-size", defaultValue = "54",
            description = "mean rows per true cluster (default: ${DEFAULT-VALUE}, "
                    + "University-1652's drone views per place)")
    int clusterSize;

    @Option(names = "--outliers", defaultValue = "0.1",
            description = "fraction of uniform outlier rows (default: ${DEFAULT-VALUE})")
    double outliers;

    @Option(names = "--spread", defaultValue = "0.8",
            description = "within-cluster noise norm (default: ${DEFAULT-VALUE})")
    double spread;

    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = "--eps", defaultValue = "0.4") double eps;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "interpreter with numpy + scikit-learn for the dense reference")
    String python;

    @Option(names = "--reference-up-to", defaultValue = "20000",
            description = "largest N the dense reference runs at (default: ${DEFAULT-VALUE}, about 3.2 GB)")
    int referenceUpTo;

    @Option(names = "--no-reference", description = "engine only")
    boolean noReference;

    @Option(names = "--device", defaultValue = "cpu",
            description = "where the exact kNN runs: cpu (BlasKnn) | cuda | emu (knn.cu's candidates); "
            + "Jaccard and DBSCAN run on the host (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--emu-memory", paramLabel = "SIZE", defaultValue = ByteSize.EMU_DEFAULT,
            description = ByteSize.EMU_HELP, converter = ByteSize.Checked.class)
    String emuMemory;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "keep each N's features, engine labels and reference labels as .npy files in DIR")
    Path keep;

    private KnnSearch knn;
    private boolean knnOnHost;

    private record Row(int n, double firstSeconds, JaccardDbscan.Outcome engine, long peakBytes, double ariTruth,
                       DenseReference.Run ref, double ariRef, boolean same) {}

    @Override public void run() {
        Backend be = DeviceOptions.backend(device, emuMemory);
        knn = KnnSearch.forBackend(be);
        knnOnHost = be.onHost();
        JaccardDbscan.Settings s = new JaccardDbscan.Settings(30, 6, eps, 4);
        DenseReference dense = new DenseReference(python);
        String skip = noReference ? "--no-reference" : dense.unavailableReason();
        System.out.printf("bench cluster: D=%d, clusters of ~%d rows + %.0f%% outliers (spread %s, seed %d); "
                        + "k1 %d, k2 %d, eps %s, min-samples %d%n",
                dim, clusterSize, 100 * outliers, spread, seed, s.k1(), s.k2(), s.eps(), s.minSamples());
        System.out.printf("machine: %d CPU threads, max heap %d MiB; %s%n", Parallel.threads(),
                Runtime.getRuntime().maxMemory() >> 20, Blas.describe());
        System.out.println("kNN: " + (be.onHost() ? "BlasKnn (OpenBLAS sgemm) on the CPU" : "knn.cu candidates on "
                + be.name() + ", exact ranking on the host"));
        if (skip != null) System.out.println("dense reference skipped: " + skip);
        List<Row> rows = new ArrayList<>();
        try {
            for (int n : sizes) rows.add(measure(n, s, skip == null ? dense : null));
        } finally {
            if (be instanceof dev.uvgl.backend.cuda.CudaBackend c) c.close();
        }
        table(rows);
    }

    private Row measure(int n, JaccardDbscan.Settings s, DenseReference dense) {
        ClusteredMixture m = ClusteredMixture.draw(n, dim, clusterSize, outliers, spread, seed);
        // Twice: the first run in this JVM includes JIT compilation (as one `cluster` command does);
        // the repeat is what every epoch after the first costs inside training. Both are printed.
        double first = JaccardDbscan.run(m.features(), n, dim, s, knn, Progress.NONE).seconds();
        JaccardDbscan.Outcome o;
        long peak;
        try (PeakMemory mem = PeakMemory.start()) {
            o = JaccardDbscan.run(m.features(), n, dim, s, knn, Progress.NONE);
            peak = mem.peakAboveBaseline();
        }
        double ari = LabelAgreement.adjustedRand(o.labels(), m.truth());
        // BlasKnn computes the symmetric Gram half; knn.cu scores every pair.
        double gflop = knnOnHost ? 2.0 * n * (n + 1) / 2 * dim / 1e9 : 2.0 * n * n * dim / 1e9;
        System.out.printf("N=%d (%d true clusters): engine %.2f s repeated, %.2f s first run "
                        + "(kNN %.2f s = %.0f GFLOP at %.0f GFLOP/s, "
                        + "Jaccard %.2f s, DBSCAN %.3f s), peak %.0f MB above baseline (heap in use + off-heap), "
                        + "%d clusters, %d noise, "
                        + "ARI vs truth %.3f, %d pairs within eps%n",
                n, m.clusters(), o.seconds(), first, o.knnSeconds(), gflop, gflop / o.knnSeconds(), o.jaccardSeconds(),
                o.dbscanSeconds(),
                peak / 1e6, o.clusters(), o.noise(), ari, o.storedPairs());
        DenseReference.Run ref = null;
        double ariRef = Double.NaN;
        boolean same = false;
        if (dense != null && n <= referenceUpTo) {
            Path work = null;
            try {
                work = Files.createTempDirectory("uvgl-bench-cluster");
                ref = dense.run(m.features(), n, dim, s, work);
                ariRef = LabelAgreement.adjustedRand(o.labels(), ref.labels());
                same = LabelAgreement.sameUpToRenaming(o.labels(), ref.labels());
                if (!same) {
                    int[] rows = LabelAgreement.disagreeing(o.labels(), ref.labels());
                    StringBuilder b = new StringBuilder();
                    for (int t = 0; t < Math.min(rows.length, 20); t++)
                        b.append(String.format(" %d (engine %d, reference %d)", rows[t], o.labels()[rows[t]],
                                ref.labels()[rows[t]]));
                    System.out.printf("N=%d: %d rows disagree beyond renaming:%s%n", n, rows.length, b);
                }
                if (keep != null) {
                    Files.createDirectories(keep);
                    Files.copy(work.resolve("features.npy"), keep.resolve("features-" + n + ".npy"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    dev.uvgl.util.Npy.writeLongs(keep.resolve("engine-" + n + ".npy"),
                            java.util.Arrays.stream(o.labels()).asLongStream().toArray());
                    dev.uvgl.util.Npy.writeLongs(keep.resolve("reference-" + n + ".npy"),
                            java.util.Arrays.stream(ref.labels()).asLongStream().toArray());
                }
                System.out.printf("N=%d: dense reference %.2f s (process wall %.2f s), peak RSS %.0f MB; "
                                + "engine %.1fx faster repeated, "
                                + "%.1fx first run, %.2fx the memory; labels identical up to renaming: %s, "
                                + "ARI engine vs reference %.4f%n",
                        n, ref.seconds(), ref.wallSeconds(), ref.peakRssMb(), ref.seconds() / o.seconds(),
                        ref.seconds() / first,
                        peak / 1e6 / ref.peakRssMb(), same ? "yes" : "no", ariRef);
            } catch (IOException e) {
                System.out.println("N=" + n + ": dense reference failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                deleteQuietly(work);
            }
        } else if (dense != null) {
            System.out.printf(
                    "N=%d: dense reference not run above %d rows; it would hold %.1f GB (two N x N float32 matrices)%n",
                    n, referenceUpTo, DenseReference.memoryNeedBytes(n) / 1e9);
        }
        return new Row(n, first, o, peak, ari, ref, ariRef, same);
    }

    private static void table(List<Row> rows) {
        System.out.println();
        System.out.println("| N | engine s (repeat) | first run s | kNN s | Jaccard s | DBSCAN s | engine peak MB "
                + "| clusters | noise | ARI vs truth "
                + "| reference s | reference peak MB | speed-up (repeat / first) | labels = reference |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            JaccardDbscan.Outcome o = r.engine();
            String ref = r.ref() == null
                    ? String.format("not run | %.0f (computed) | - | -", DenseReference.memoryNeedBytes(r.n()) / 1e6)
                    : String.format("%.1f | %.0f | %.1fx / %.1fx | %s (ARI %.4f)", r.ref().seconds(),
                    r.ref().peakRssMb(), r.ref().seconds() / o.seconds(),
                    r.ref().seconds() / r.firstSeconds(), r.same() ? "yes" : "no", r.ariRef());
            System.out.printf("| %d | %.2f | %.2f | %.2f | %.2f | %.3f | %.0f | %d | %d | %.3f | %s |%n", r.n(),
                    o.seconds(), r.firstSeconds(), o.knnSeconds(),
                    o.jaccardSeconds(), o.dbscanSeconds(), r.peakBytes() / 1e6, o.clusters(), o.noise(),
                    r.ariTruth(), ref);
        }
        long rss = PeakMemory.processPeakRss();
        if (rss > 0)
            System.out.printf("process peak RSS (whole bench: data generation, every N): %.0f MB%n", rss / 1e6);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
