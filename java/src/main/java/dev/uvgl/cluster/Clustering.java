package dev.uvgl.cluster;

/**
 * The per-view pseudo-label pipeline of dmnil.md section 3: L2-normalise, k-reciprocal Jaccard
 * distance (section 6), DBSCAN. Returns labels (-1 = outlier) and what a log line needs.
 */
public final class Clustering {
    public record Result(int[] labels, int clusters, int noise, long storedPairs, double seconds) {}

    private final KNearest knn;
    private final int k1, k2, minSamples;
    private final double eps;

    public Clustering(KNearest knn, int k1, int k2, double eps, int minSamples) {
        this.knn = knn; this.k1 = k1; this.k2 = k2; this.eps = eps; this.minSamples = minSamples;
    }

    /** x: n rows of d floats (any length; normalised here, in place in a copy). */
    public Result run(float[] x, int n, int d) {
        if (n <= k1) throw new IllegalArgumentException(n + " rows are too few for k1=" + k1 + "; pass at least k1+1 rows or a smaller --k1");
        long t0 = System.nanoTime();
        float[] u = normalised(x, n, d);
        Neighbours lists = knn.search(u, n, d, k1);
        SparseDistance dist = new KReciprocalJaccard(k1, k2).compute(lists, u, d);
        int[] labels = new Dbscan(eps, minSamples).labels(dist);
        int clusters = 0, noise = 0;
        for (int l : labels) { if (l < 0) noise++; clusters = Math.max(clusters, l + 1); }
        return new Result(labels, clusters, noise, dist.stored(), (System.nanoTime() - t0) / 1e9);
    }

    static float[] normalised(float[] x, int n, int d) {
        float[] u = new float[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                float v = x[i * d + t];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("row " + i + " holds " + v + "; features must be finite (re-extract them)");
                s += (double) v * v;
            }
            if (s == 0) throw new IllegalArgumentException("row " + i + " is all zeros and has no direction; drop it or re-extract the features");
            double inv = 1.0 / Math.sqrt(s);
            for (int t = 0; t < d; t++) u[i * d + t] = (float) (x[i * d + t] * inv);
        }
        return u;
    }
}
