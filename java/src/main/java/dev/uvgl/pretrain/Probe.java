package dev.uvgl.pretrain;

import dev.uvgl.backend.Backend;
import dev.uvgl.cluster.KnnSearch;
import dev.uvgl.dmnil.DmnilConfig;
import dev.uvgl.dmnil.LabelQuality;
import dev.uvgl.dmnil.PseudoLabels;
import dev.uvgl.dmnil.ViewClustering;
import dev.uvgl.dmnil.ViewRows;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.eval.Direction;
import dev.uvgl.eval.Evaluation;
import dev.uvgl.eval.EvaluationResult;
import dev.uvgl.eval.RetrievalMetrics;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.util.Progress;

import java.util.List;
import java.util.function.Consumer;

/**
 * Measures a backbone on the probe world (a world of its own seed): the evaluation protocol both ways on its
 * test split, and DMNIL's epoch-0 clustering of its train drone photos with dmnil.md's settings.
 */
final class Probe {
    private final GeoDataset world;
    private final Backend be;
    private final int size, batch, threads;
    private final Consumer<String> log;

    Probe(GeoDataset world, Backend be, int size, int batch, int threads, Consumer<String> log) {
        this.world = world;
        this.be = be;
        this.size = size;
        this.batch = batch;
        this.threads = threads;
        this.log = log;
    }

    ProbeFigures measure(ConvNeXt model) {
        long t0 = System.nanoTime();
        model.eval();
        Evaluation.Options o = new Evaluation.Options(size, batch, Evaluation.Options.defaults(size).protocol(),
                List.of(Direction.D2S, Direction.S2D), threads, null);
        EvaluationResult ev = Evaluation.run(world, model::embeddingRows, be, o, Progress.NONE, log);
        RetrievalMetrics d2s = metric(ev, Direction.D2S), s2d = metric(ev, Direction.S2D);
        DmnilConfig dmnil = new DmnilConfig();
        float[][] rows = ViewClustering.features(model, be, world.trainDrone(), size, batch, threads,
                Progress.NONE, log);
        int n = rows.length, dim = rows[0].length;
        float[] raw = new float[n * dim];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, raw, i * dim, dim);
        PseudoLabels pl = ViewClustering.labels(raw, n, dim, ViewClustering.settings(dmnil, dmnil.epsDrone),
                KnnSearch.forBackend(be), Progress.NONE);
        LabelQuality q = LabelQuality.of(pl.labels(), ViewRows.drone(world.trainDrone()).folderIdsForDiagnostics());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new ProbeFigures(d2s.recallAt1(), d2s.ap(), s2d.recallAt1(), q.purity(), q.adjustedRand(), pl.clusters(),
                1.0 - (double) pl.outliers() / n, seconds);
    }

    private static RetrievalMetrics metric(EvaluationResult ev, Direction d) {
        for (RetrievalMetrics m : ev.directions()) if (m.direction().equals(d.label())) return m;
        throw new IllegalStateException("the probe world has no " + d.label() + " split");
    }
}
