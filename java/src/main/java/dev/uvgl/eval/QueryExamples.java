package dev.uvgl.eval;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.eval.locate.GalleryFeatures;
import dev.uvgl.eval.locate.TopHits;
import dev.uvgl.report.QueryHits;
import dev.uvgl.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * A few drone queries of the test split with their top-ranked satellite tiles, for the picture a
 * person looks at (QueryMosaic): one query from each of `count` places spread over the split, the
 * hits marked correct when their place is the query's.
 */
public final class QueryExamples {
    private QueryExamples() {}

    public static List<QueryHits> of(GeoDataset data, FeatureExtractor.Embedder model, Backend be, int size,
                                     int count, int top,
                                     Consumer<String> warn) {
        ImageSet queries = data.queryDrone(), gallery = data.gallerySatellite();
        if (queries.size() == 0 || gallery.size() == 0) return List.of();
        List<ImageItem> picked = new ArrayList<>();
        List<String> places = queries.items().stream().map(ImageItem::place).distinct().toList();
        for (int i = 0; i < Math.min(count, places.size()); i++) {
            String place = places.get((int) ((long) i * places.size() / Math.min(count, places.size())));
            queries.items().stream().filter(it -> it.place().equals(place)).findFirst().ifPresent(picked::add);
        }
        ExecutorService pool = FeatureExtractor.decodePool(2, "uvgl-examples-decode");
        try {
            FeatureExtractor fx = new FeatureExtractor(be, model, FeatureTransform.evaluation(size), 32, pool, warn);
            float[][] q = fx.extract(new ImageSet(queries.name(), picked, 0), Progress.NONE);
            float[][] g = fx.extract(gallery, Progress.NONE);
            int dim = g.length == 0 ? 0 : g[0].length;
            float[] flat = new float[g.length * dim];
            for (int j = 0; j < g.length; j++) System.arraycopy(g[j], 0, flat, j * dim, dim);
            GalleryFeatures gf = new GalleryFeatures(gallery.items().stream().map(it -> it.path().toString()).toList(),
                    flat, dim);
            List<QueryHits> out = new ArrayList<>();
            for (int i = 0; i < picked.size(); i++) {
                List<QueryHits.Tile> hits = new ArrayList<>();
                for (TopHits.Hit h : TopHits.of(q[i], gf, top)) {
                    ImageItem t = gallery.items().get(h.index());
                    hits.add(new QueryHits.Tile(t.path(), h.score(), t.place().equals(picked.get(i).place())));
                }
                out.add(new QueryHits(picked.get(i).path(), hits));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
