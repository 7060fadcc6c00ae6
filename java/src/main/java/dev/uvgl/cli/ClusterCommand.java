package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.cluster.Clustering;
import dev.uvgl.cluster.CpuKNearest;
import dev.uvgl.util.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `cluster`: k-reciprocal Jaccard distance + DBSCAN on any feature file (dmnil.md sections 3 and 6). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Pseudo labels for a feature file: rows L2-normalised, k-reciprocal Jaccard distance, DBSCAN; -1 = outlier.",
        footer = {"", "Examples:", "  java -jar engine.jar cluster --features drone.npy --out drone_labels.npy",
                "  java -jar engine.jar cluster --features sat.npy --out sat_labels.npy --eps 0.3"})
public final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--features", required = true, paramLabel = "FILE.npy", description = "float32 [N, D] features (e.g. from `features`)")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "LABELS.npy", description = "int64 [N] labels, -1 for outliers")
    Path out;

    @Option(names = "--k1", defaultValue = "30", description = "neighbours per list (default: ${DEFAULT-VALUE})")
    int k1;

    @Option(names = "--k2", defaultValue = "6", description = "query-expansion neighbours (default: ${DEFAULT-VALUE})")
    int k2;

    @Option(names = "--eps", defaultValue = "0.4", description = "DBSCAN radius on the Jaccard distance (default: ${DEFAULT-VALUE}; dmnil.md uses 0.3 for satellite)")
    double eps;

    @Option(names = "--min-samples", defaultValue = "4", description = "DBSCAN core size, the point included (default: ${DEFAULT-VALUE})")
    int minSamples;

    @Override public Integer call() throws IOException {
        if (!Files.isRegularFile(features)) throw new UserError("feature file " + features + " does not exist; write one with `features --out FILE.npy`");
        if (k1 < 1 || k2 < 1 || k2 > k1) throw new UserError("need 1 <= --k2 <= --k1, got k1=" + k1 + " k2=" + k2);
        if (!(eps > 0) || minSamples < 1) throw new UserError("need --eps > 0 and --min-samples >= 1, got " + eps + " and " + minSamples);
        Npy.Floats f;
        try {
            f = Npy.readFloats(features);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        if (f.shape().length != 2) throw new UserError(features + " has shape " + java.util.Arrays.toString(f.shape()) + "; cluster wants a 2-D [N, D] float32 array");
        int n = f.shape()[0], d = f.shape()[1];
        Clustering.Result r;
        try {
            r = new Clustering(new CpuKNearest(CpuBackend.INSTANCE), k1, k2, eps, minSamples).run(f.data(), n, d);
        } catch (IllegalArgumentException e) {
            throw new UserError(features + ": " + e.getMessage());
        }
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = r.labels()[i];
        Npy.writeLongs(out, labels);
        System.out.printf("cluster: %d rows -> %d clusters, %d outliers, %d stored pairs (%.1f per row), %.2f s -> %s%n",
                n, r.clusters(), r.noise(), r.storedPairs(), r.storedPairs() / (double) n, r.seconds(), out);
        return 0;
    }
}
