package dev.uvgl.eval;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.report.QueryHits;
import dev.uvgl.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A few drone queries of the test split with their top-ranked satellite tiles, for the picture a
 * person looks at (QueryMosaic): one query from each of `count` places spread over the split, the
 * hits marked correct when their place is the query's.
 */
public final class QueryExamples {
    private QueryExamples() {}

    public static List<QueryHits> of(GeoDataset data, FeatureExtractor.Embedder model, Backend be, int size, int count, int top,
                                     Consumer<String> warn) {
        ImageSet queries = data.queryDrone(), gallery = data.gallerySatellite();
        if (queries.size() == 0 || gallery.size() == 0) return List.of();
        List<ImageItem> picked = new ArrayList<>();
        List<String> places = queries.items().stream().map(ImageItem::place).distinct().toList();
        for (int i = 0; i < Math.min(count, places.size()); i++) {
            String place = places.get((int) ((long) i * places.size() / Math.min(count, places.size())));
            queries.items().stream().filter(it -> it.place().equals(place)).findFirst().ifPresent(picked::add);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            FeatureExtractor fx = new FeatureExtractor(be, model, FeatureTransform.evaluation(size), 32, pool, warn);
            float[][] q = fx.extract(new ImageSet(queries.name(), picked, 0), Progress.NONE);
            float[][] g = fx.extract(gallery, Progress.NONE);
            List<QueryHits> out = new ArrayList<>();
            for (int i = 0; i < picked.size(); i++) {
                double[] score = new double[g.length];
                Integer[] order = new Integer[g.length];
                for (int j = 0; j < g.length; j++) {
                    double s = 0;
                    for (int d = 0; d < q[i].length; d++) s += (double) q[i][d] * g[j][d];
                    score[j] = s;
                    order[j] = j;
                }
                java.util.Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
                List<QueryHits.Tile> hits = new ArrayList<>();
                for (int r = 0; r < Math.min(top, g.length); r++) {
                    ImageItem t = gallery.items().get(order[r]);
                    hits.add(new QueryHits.Tile(t.path(), score[order[r]], t.place().equals(picked.get(i).place())));
                }
                out.add(new QueryHits(picked.get(i).path(), hits));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
