package dev.uvgl.eval;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.Layout;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The evaluation protocol end to end for one test split: embed the four test roles with the
 * given model, then rank and score each asked direction. The seam for the `eval` command: the
 * caller brings the model as a {@link FeatureExtractor.Embedder}.
 */
public final class Evaluation {
    public record Options(int size, int batchSize, Protocol protocol, List<Direction> directions, int threads,
            Map<String, String> provenance) {
        public static Options defaults(int size) {
            return new Options(size, 32, Protocol.STANDARD, List.of(Direction.D2S, Direction.S2D),
                    Runtime.getRuntime().availableProcessors(), null);
        }
    }

    private Evaluation() {}

    public static EvaluationResult run(GeoDataset data, FeatureExtractor.Embedder model, Backend backend, Options opt,
                                       Progress.Factory progress, Consumer<String> warn) {
        ExecutorService pool = FeatureExtractor.decodePool(opt.threads(), "uvgl-eval-decode");
        try {
            // Files whose header looked fine but whose data does not decode (a truncated JPEG) are left out like the
            // unreadable ones the loader skipped, not ranked as black images.
            Set<Integer> undecodable = ConcurrentHashMap.newKeySet();
            FeatureExtractor fx = new FeatureExtractor(backend, model, FeatureTransform.evaluation(opt.size()),
                    opt.batchSize(), pool, warn, undecodable::add);
            RetrievalEvaluator evaluator = new RetrievalEvaluator(backend);
            boolean sdm = data.layout() == Layout.DENSE_UAV;
            List<RetrievalMetrics> out = new ArrayList<>();
            int skipped = data.skipped();
            for (Direction d : opt.directions()) {
                ImageSet q = d == Direction.D2S ? data.queryDrone() : data.querySatellite();
                ImageSet g = d == Direction.D2S ? data.gallerySatellite() : data.galleryDrone();
                if (q.size() == 0 || g.size() == 0) {
                    warn.accept("note: " + d.label() + " skipped: " + data.name() + " has no "
                            + (q.size() == 0 ? q.name() : g.name()) + " images");
                    continue;
                }
                TreeSet<String> names = new TreeSet<>();
                for (ImageItem i : q.items()) names.add(i.place());
                for (ImageItem i : g.items()) names.add(i.place());
                List<String> dict = new ArrayList<>(names);
                float[][] qRows = fx.extract(q, progress);
                Set<Integer> qBad = drain(undecodable);
                float[][] gRows = fx.extract(g, progress);
                Set<Integer> gBad = drain(undecodable);
                skipped += qBad.size() + gBad.size();
                Features qf = features(qRows, q, dict, qBad), gf = features(gRows, g, dict, gBad);
                out.add(evaluator.evaluate(d.label(), qf, gf, opt.protocol(), sdm));
            }
            return new EvaluationResult(data.name(), "test", opt.protocol().name().toLowerCase(), opt.size(),
                    opt.provenance(), skipped, out);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The indices collected during one extract call; the set is emptied for the next one. */
    private static Set<Integer> drain(Set<Integer> s) {
        Set<Integer> copy = Set.copyOf(s);
        s.clear();
        return copy;
    }

    private static Features features(float[][] rows, ImageSet set, List<String> dict, Set<Integer> leaveOut) {
        int n = rows.length - leaveOut.size(), dim = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[n * dim];
        int[] ids = new int[n];
        boolean positions = set.hasPositions();
        double[] lat = positions ? new double[n] : null, lon = positions ? new double[n] : null;
        for (int r = 0, i = 0; r < rows.length; r++) {
            if (leaveOut.contains(r)) continue;
            System.arraycopy(rows[r], 0, flat, i * dim, dim);
            ImageItem it = set.items().get(r);
            ids[i] = java.util.Collections.binarySearch(dict, it.place());
            if (positions) {
                lat[i] = it.lat();
                lon[i] = it.lon();
            }
            i++;
        }
        return new Features(flat, n, dim, ids, lat, lon);
    }
}
