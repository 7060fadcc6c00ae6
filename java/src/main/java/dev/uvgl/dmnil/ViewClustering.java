package dev.uvgl.dmnil;

import dev.uvgl.backend.Backend;
import dev.uvgl.cluster.JaccardDbscan;
import dev.uvgl.cluster.KnnSearch;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.eval.FeatureExtractor;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.util.Progress;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * One view's clustering input and output (dmnil.md section 3.1-3.3): the model's clustering features of
 * every image (eval mode, bicubic resize, flip-averaged, not normalised) and the k-reciprocal Jaccard +
 * DBSCAN pseudo labels of them. Used by the epoch loop and by pretraining's probe.
 */
public final class ViewClustering {
    private ViewClustering() {}

    /** Clustering features of every image of the set, one row per image. */
    public static float[][] features(ConvNeXt model, Backend be, ImageSet images, int size, int batch, int threads,
                                     Progress.Factory progress, Consumer<String> log) {
        ExecutorService pool = FeatureExtractor.decodePool(threads, "uvgl-cluster-decode");
        try {
            model.eval();
            FeatureExtractor fx = new FeatureExtractor(be, b -> model.flipAveragedEmbedding(b).toRows(),
                    FeatureTransform.clustering(size), batch, pool, log);
            be.setOutOfMemoryAdvice("lower the extraction batch with --set extract_batch= (now " + batch + ")");
            return fx.extractRaw(images, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Pseudo labels of n rows of raw features with the given settings and exact kNN search. */
    public static PseudoLabels labels(float[] raw, int n, int dim, JaccardDbscan.Settings settings, KnnSearch knn,
            Progress.Factory progress) {
        return PseudoLabels.cluster(raw, n, dim, settings, knn, progress);
    }

    /** The settings of a view from the config: dmnil.md's k1, k2, min_samples and the view's eps. */
    public static JaccardDbscan.Settings settings(DmnilConfig cfg, double eps) {
        return new JaccardDbscan.Settings(cfg.k1, cfg.k2, eps, cfg.minSamples);
    }
}
