package dev.uvgl.cluster;

import dev.uvgl.util.Progress;

/** Pseudo labels from features (dmnil.md section 3, steps 2-3): k-reciprocal Jaccard distance, then DBSCAN. */
public final class JaccardDbscan {
    private JaccardDbscan() {}

    public record Settings(int k1, int k2, double eps, int minSamples) {}

    public record Outcome(int[] labels, int clusters, int noise, long storedPairs,
                          double knnSeconds, double jaccardSeconds, double dbscanSeconds) {
        public double seconds() { return knnSeconds + jaccardSeconds + dbscanSeconds; }
    }

    /** @param raw [n, dim] features, row-major, not necessarily normalised */
    public static Outcome run(float[] raw, int n, int dim, Settings s, KnnSearch knn, Progress.Factory progress) {
        check(s);
        long t0 = System.nanoTime();
        UnitRows rows = UnitRows.normalise(raw, n, dim);
        return run(rows, s, knn, progress, (System.nanoTime() - t0) / 1e9);
    }

    /** The same on rows a caller has already normalised (and keeps, as training does for its instance memory). */
    public static Outcome run(UnitRows rows, Settings s, KnnSearch knn, Progress.Factory progress) {
        check(s);
        return run(rows, s, knn, progress, 0);
    }

    // Checked before the expensive part, with the same messages DBSCAN would give at its end.
    private static void check(Settings s) {
        if (!(s.eps() > 0 && s.eps() < 1))
            throw new BadInput("eps " + s.eps() + " must lie in (0, 1): the Jaccard distance is at most 1");
        if (s.minSamples() < 1)
            throw new BadInput("min-samples " + s.minSamples() + " must be at least 1 (the reference uses 4)");
    }

    private static Outcome run(UnitRows rows, Settings s, KnnSearch knn, Progress.Factory progress, double normalise) {
        // DBSCAN reads only pairs within eps, so farther ones are never stored.
        KReciprocalJaccard.Result r = new KReciprocalJaccard(s.k1(), s.k2(), knn).compute(rows, s.eps(), progress);
        long t1 = System.nanoTime();
        int[] labels = Dbscan.labels(r.distances(), s.eps(), s.minSamples());
        double dbscan = (System.nanoTime() - t1) / 1e9;
        return new Outcome(labels, Dbscan.clusterCount(labels), Dbscan.noiseCount(labels), r.distances().nonZeros(),
                normalise + r.knnSeconds(), r.jaccardSeconds(), dbscan);
    }
}
