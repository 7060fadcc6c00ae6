package dev.uvgl.cli;

import dev.uvgl.cluster.BadInput;
import dev.uvgl.cluster.BlasKnn;
import dev.uvgl.cluster.JaccardDbscan;
import dev.uvgl.util.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** `cluster`: k-reciprocal Jaccard + DBSCAN on any feature file, labels to a .npy. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"k-reciprocal Jaccard distance (k1, k2) + DBSCAN (eps, min-samples) "
                        + "on the rows of a feature file,",
                "L2-normalised first (dmnil.md sections 3 and 6). Writes one int64 label per row, -1 = outlier."},
        footer = {"", "Examples:", "  java -jar engine.jar cluster --features drone.npy --out drone_labels.npy",
                "  java -jar engine.jar cluster --features satellite.npy --out sat_labels.npy --eps 0.3"})
public final class ClusterCommand implements Runnable {
    @Option(names = "--features", required = true, paramLabel = "FILE.npy",
            description = "float32 features [N, D] (numpy.save)")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "LABELS.npy",
            description = "int64 labels [N], written atomically")
    Path out;

    @Option(names = "--k1", defaultValue = "30", description = "neighbours per list (default: ${DEFAULT-VALUE})")
    int k1;

    @Option(names = "--k2", defaultValue = "6", description = "query expansion neighbours (default: ${DEFAULT-VALUE})")
    int k2;

    @Option(names = "--eps", defaultValue = "0.4",
            description = "DBSCAN radius, 0 < eps < 1 (default: ${DEFAULT-VALUE}; 0.3 for satellite)")
    double eps;

    @Option(names = "--min-samples", defaultValue = "4",
            description = "DBSCAN core size, the point included (default: ${DEFAULT-VALUE})")
    int minSamples;

    @Override public void run() {
        Npy.Floats f = read(features);
        int n = f.shape()[0], dim = f.shape()[1];
        JaccardDbscan.Outcome o;
        try {
            o = JaccardDbscan.run(f.data(), n, dim, new JaccardDbscan.Settings(k1, k2, eps, minSamples),
                    BlasKnn.standard(), ConsoleProgress.factory());
        } catch (BadInput e) {
            throw new UserError(features + ": " + e.getMessage());
        }
        long[] labels = Arrays.stream(o.labels()).asLongStream().toArray();
        try {
            Npy.writeLongs(out, labels);
        } catch (IOException e) {
            throw new UserError("cannot write " + out + " (" + e.getMessage() + "); pick a writable --out path");
        }
        System.out.printf("%d rows x %d: %d clusters, %d noise (k1 %d, k2 %d, eps %s, min-samples %d) in %.2f s "
                        + "(kNN %.2f s, Jaccard %.2f s, DBSCAN %.2f s) -> %s%n",
                n, dim, o.clusters(), o.noise(), k1, k2, eps, minSamples, o.seconds(), o.knnSeconds(),
                o.jaccardSeconds(), o.dbscanSeconds(), out);
        if (o.clusters() == 0)
            System.out.println("no cluster found: every row is noise at eps " + eps
                    + "; a larger --eps or smaller --min-samples finds more");
    }

    /** The feature matrix, or a one-line error naming the problem and the fix. */
    static Npy.Floats read(Path path) {
        if (!Files.isRegularFile(path))
            throw new UserError("features file " + path
                    + " does not exist; pass a float32 [N, D] .npy (numpy.save, or the features command)");
        Npy.Floats f;
        try {
            f = Npy.readFloats(path);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read features " + path + ": " + e.getMessage());
        }
        if (f.shape().length != 2)
            throw new UserError("features " + path + " has shape " + Arrays.toString(f.shape())
                    + "; expected [N, D] (one row per image)");
        return f;
    }
}
