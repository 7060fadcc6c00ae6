package dev.uvgl.eval.locate;

import java.util.ArrayList;
import java.util.List;

/**
 * The k gallery rows most similar to a unit query (cosine), best first;
 * equal scores rank the lower gallery index first, as the evaluation does.
 */
public final class TopHits {
    /** A gallery row and its cosine similarity to the query. */
    public record Hit(int index, float score) {}

    private TopHits() {}

    public static List<Hit> of(float[] query, GalleryFeatures g, int k) {
        int dim = g.dim(), keep = Math.min(k, g.size());
        if (query.length != dim)
            throw new IllegalArgumentException("query has " + query.length + " dims, the gallery " + dim);
        int[] idx = new int[keep];
        float[] score = new float[keep];
        int filled = 0;
        float[] rows = g.rows();
        for (int i = 0; i < g.size(); i++) {
            float s = 0;
            for (int j = 0; j < dim; j++) s += query[j] * rows[i * dim + j];
            // a diverged row ranks last instead of jamming the comparisons
            if (Float.isNaN(s)) s = Float.NEGATIVE_INFINITY;
            if (filled == keep && !(s > score[keep - 1])) continue;
            // Insertion into the sorted prefix; strict '>' keeps earlier (lower-index) rows ahead of later equal ones.
            int at = filled < keep ? filled++ : keep - 1;
            while (at > 0 && s > score[at - 1]) { score[at] = score[at - 1]; idx[at] = idx[at - 1]; at--; }
            score[at] = s;
            idx[at] = i;
        }
        List<Hit> hits = new ArrayList<>(keep);
        for (int i = 0; i < keep; i++) hits.add(new Hit(idx[i], score[i]));
        return hits;
    }
}
