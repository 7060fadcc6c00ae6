package dev.uvgl.cluster;

import dev.uvgl.harness.ClusteredMixture;
import dev.uvgl.util.Npy;
import dev.uvgl.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A ClusteredMixture fixture and the engine's view of it, for bench/cluster_label_audit.py to set against
 * the float64 reference pair by pair: DIR/features-N.npy, DIR/engine-N.npy (labels, k1 30, k2 6, eps 0.4,
 * min-samples 4) and every stored pair i < j with d <= 0.41 as DIR/engine-N-{i,j,d}.npy. Prints how many
 * pairs lie within 2e-7 of eps, the pairs whose side of eps a float64 V could change, so seeds can be
 * scanned cheaply before the 11 GB reference runs. Not a test; run with the test classes on the class path:
 * java -cp java/target/test-classes:java/target/engine.jar dev.uvgl.cluster.DistanceDump DIR N SIZE OUTLIERS SPREAD
 * SEED
 */
public final class DistanceDump {
    private DistanceDump() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]), size = Integer.parseInt(args[2]), dim = 768;
        double outliers = Double.parseDouble(args[3]), spread = Double.parseDouble(args[4]);
        long seed = Long.parseLong(args[5]);
        Files.createDirectories(dir);
        ClusteredMixture m = ClusteredMixture.draw(n, dim, size, outliers, spread, seed);
        UnitRows rows = UnitRows.normalise(m.features(), n, dim);
        KReciprocalJaccard.Result r = new KReciprocalJaccard(30, 6, BlasKnn.standard()).compute(rows, 0.41,
                Progress.NONE);
        SparseRows d = r.distances();
        int[] labels = Dbscan.labels(d, 0.4, 4);
        int count = 0, risky = 0;
        for (int i = 0; i < d.n(); i++)
            for (int p = d.rowStart(i); p < d.rowEnd(i); p++)
                if (d.col(p) > i) {
                    count++;
                    if (Math.abs(d.val(p) - 0.4) < 2e-7) risky++;
                }
        long[] is = new long[count], js = new long[count];
        float[] vs = new float[count];
        int t = 0;
        for (int i = 0; i < d.n(); i++)
            for (int p = d.rowStart(i); p < d.rowEnd(i); p++)
                if (d.col(p) > i) { is[t] = i; js[t] = d.col(p); vs[t++] = d.val(p); }
        String base = "engine-" + n;
        Npy.writeFloats(dir.resolve("features-" + n + ".npy"), m.features(), n, dim);
        Npy.writeLongs(dir.resolve(base + ".npy"), Arrays.stream(labels).asLongStream().toArray());
        Npy.writeLongs(dir.resolve(base + "-i.npy"), is);
        Npy.writeLongs(dir.resolve(base + "-j.npy"), js);
        Npy.writeFloats(dir.resolve(base + "-d.npy"), vs, count);
        System.out.printf("seed %d: %d clusters, %d noise; %d pairs with d <= 0.41, %d within 2e-7 of eps%n",
                seed, Dbscan.clusterCount(labels), Dbscan.noiseCount(labels), count, risky);
    }
}
