package dev.uvgl.dmnil;

import dev.uvgl.cluster.JaccardDbscan;
import dev.uvgl.cluster.KnnSearch;
import dev.uvgl.cluster.UnitRows;
import dev.uvgl.util.Progress;

/**
 * One view's pseudo labels for an epoch (dmnil.md section 3): labels per row (-1 = outlier), the
 * cluster count, the centroids (mean of the members' unnormalised features, then normalised) and
 * the rows' normalised features that initialise the instance memory.
 */
public record PseudoLabels(int[] labels, int clusters, int outliers, float[] centroids, float[] unitFeatures, int dim,
        double seconds) {

    public static PseudoLabels cluster(float[] raw, int n, int dim, JaccardDbscan.Settings settings, KnnSearch knn,
            Progress.Factory progress) {
        // Normalised once: the clustering and the instance memory read the same unit rows.
        UnitRows unit = UnitRows.normalise(raw, n, dim);
        JaccardDbscan.Outcome o = JaccardDbscan.run(unit, settings, knn, progress);
        return of(o.labels(), raw, unit, o.seconds());
    }

    /** Labels given (from clustering or association), centroids computed from raw features. */
    public static PseudoLabels of(int[] labels, float[] raw, int n, int dim, double seconds) {
        return of(labels, raw, UnitRows.normalise(raw, n, dim), seconds);
    }

    private static PseudoLabels of(int[] labels, float[] raw, UnitRows unit, double seconds) {
        int clusters = 0, outliers = 0;
        for (int l : labels) { if (l < 0) outliers++; else clusters = Math.max(clusters, l + 1); }
        return new PseudoLabels(labels, clusters, outliers, centroids(labels, clusters, raw, unit.n(), unit.dim()),
                unit.data(), unit.dim(), seconds);
    }

    public static float[] centroids(int[] labels, int clusters, float[] raw, int n, int dim) {
        double[] sum = new double[clusters * dim];
        int[] count = new int[clusters];
        for (int i = 0; i < n; i++) {
            int l = labels[i];
            if (l < 0) continue;
            count[l]++;
            for (int j = 0; j < dim; j++) sum[l * dim + j] += raw[i * dim + j];
        }
        float[] out = new float[clusters * dim];
        for (int c = 0; c < clusters; c++) {
            if (count[c] == 0)
                throw new IllegalStateException("pseudo label " + c + " has no member; labels must be dense 0..C-1");
            double sq = 0;
            for (int j = 0; j < dim; j++) { double m = sum[c * dim + j] / count[c]; sum[c * dim + j] = m; sq += m * m; }
            double inv = 1 / Math.max(Math.sqrt(sq), 1e-12);
            for (int j = 0; j < dim; j++) out[c * dim + j] = (float) (sum[c * dim + j] * inv);
        }
        return out;
    }


    /** Members per cluster. */
    public int[] clusterSizes() {
        int[] s = new int[clusters];
        for (int l : labels) if (l >= 0) s[l]++;
        return s;
    }
}
