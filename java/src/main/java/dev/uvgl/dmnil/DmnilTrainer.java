package dev.uvgl.dmnil;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.backend.Backend;
import dev.uvgl.backend.DeviceMemoryStats;
import dev.uvgl.backend.Scope;
import dev.uvgl.cluster.KnnSearch;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.image.TrainAugment;
import dev.uvgl.data.pipeline.Batch;
import dev.uvgl.data.pipeline.BatchMaker;
import dev.uvgl.data.pipeline.PkSampler;
import dev.uvgl.data.pipeline.Prefetcher;
import dev.uvgl.device.DeviceOutOfMemoryException;
import dev.uvgl.dmnil.assoc.CrossViewAssociation;
import dev.uvgl.dmnil.assoc.FeatureNoise;
import dev.uvgl.eval.Direction;
import dev.uvgl.eval.Evaluation;
import dev.uvgl.eval.EvaluationResult;
import dev.uvgl.eval.QueryExamples;
import dev.uvgl.eval.RetrievalMetrics;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.nn.Parameter;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.nn.optim.StepLr;
import dev.uvgl.report.MetricsCharts;
import dev.uvgl.report.QueryHits;
import dev.uvgl.report.QueryMosaic;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The DMNIL epoch loop of dmnil.md section 3, top to bottom: evaluate the untrained network (epoch
 * -1); then per epoch extract clustering features, cluster each view, build the memories, run
 * `iters` PK-sampled steps, evaluate, keep the best checkpoint, save the last one. No folder id of
 * a training image reaches a loss: they are read only for the purity lines of the metrics.
 */
public final class DmnilTrainer {
    /** Where the run lives and what it starts from. */
    public record Options(Path runDir, boolean resume, int threads) {}

    /** What the run ended with; untrainedR1 is the epoch -1 line's drone->satellite R@1, NaN when the log has none. */
    public record Outcome(double bestR1, long bestEpoch, double untrainedR1, Path best, Path last, Path metrics) {}

    private final DmnilConfig cfg;
    private final Backend be;
    private final GeoDataset data;
    private final ConvNeXt model;
    private final Options opt;
    private final Progress.Factory progress;
    private final Consumer<String> log;
    private final ViewRows drone, satellite;
    private final Sgd sgd;
    private final StepLr schedule;
    private final DmnilStep step;
    private final Path checkpoints, best, last;
    /** labels=true: the folder ids as labels (the supervised bound), shared memories from epoch 0. */
    private final boolean trueLabels;
    private final TrueLabels truth;
    private final int sharedFrom;
    private final KnnSearch knn;

    public DmnilTrainer(DmnilConfig cfg, Backend be, GeoDataset data, ConvNeXt model, Options opt,
            Progress.Factory progress, Consumer<String> log) {
        this.cfg = cfg;
        this.be = be;
        this.data = data;
        this.model = model;
        this.opt = opt;
        this.progress = progress;
        this.log = log;
        this.drone = ViewRows.drone(data.trainDrone());
        this.satellite = ViewRows.satellite(data.trainSatellite(), cfg.satelliteCopies);
        this.sgd = new Sgd(model.parameters(), cfg.lr, cfg.sgdMomentum, cfg.weightDecay, lrScales(model, cfg));
        this.schedule = new StepLr(cfg.lr, cfg.stepSize, cfg.gamma);
        this.trueLabels = cfg.labels.equals("true");
        this.truth = trueLabels ? TrueLabels.of(drone, satellite) : null;
        this.sharedFrom = trueLabels ? 0 : cfg.cmlabel;
        this.step = new DmnilStep(cfg, be, model, sgd, sharedFrom);
        this.knn = KnnSearch.forBackend(be);
        this.checkpoints = opt.runDir().resolve("checkpoints");
        this.best = checkpoints.resolve("best.ckpt");
        this.last = checkpoints.resolve("last.ckpt");
    }

    /** lr multiples in model.parameters() order: layer_scale_lr for the blocks' gammas, 1 for the rest. */
    private static double[] lrScales(ConvNeXt model, DmnilConfig cfg) {
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        double[] s = new double[names.size()];
        for (int i = 0; i < s.length; i++) s[i] = names.get(i).endsWith(".gamma") ? cfg.layerScaleLr : 1;
        return s;
    }

    public Outcome run() throws IOException {
        checkEnoughRows();
        Files.createDirectories(checkpoints);
        Path metricsFile = opt.runDir().resolve("metrics.jsonl");
        MetricsLog metrics;
        TrainingCheckpoint state;
        if (opt.resume() && Files.exists(last)) {
            state = TrainingCheckpoint.read(last, model, sgd);
            metrics = MetricsLog.resume(metricsFile, state.epoch());
            log.accept("resuming after epoch " + state.epoch() + " from " + last);
        } else {
            metrics = MetricsLog.create(metricsFile);
            state = new TrainingCheckpoint(-1, 0, Double.NEGATIVE_INFINITY, -1, null, null);
            evaluateUntrained(metrics, state);
        }
        for (int epoch = (int) state.epoch() + 1; epoch < cfg.epochs; epoch++) {
            final int e = epoch;
            final TrainingCheckpoint before = state;
            EpochLog line = new EpochLog(metrics.newLine(e));
            beginEpoch(e, before, line);
            // 1. clustering features
            ViewFeatures features = line.time("extract", this::extractClusteringFeatures);
            // 2. pseudo labels per view
            EpochLabels labels = line.time("cluster", () -> labels(e, features, before));
            // 3. memories (+ association)
            EpochMemories mem = line.time("memories", () -> memories(e, labels, features, line));
            putClusters(line.json, labels.drone(), labels.satellite());
            // 4. the steps
            EpochSteps steps = line.time("steps", () -> trainEpoch(e, mem, before.step()));
            putSteps(line, steps, mem);
            // 5. evaluation
            EvaluationResult ev = line.time("eval", this::evaluate);
            //    best and last checkpoints
            state = save(e, before, ev, labels, mem, line, metrics);
            mem.close();
            log.accept(String.format("epoch %d: loss %.4f, clusters %d drone / %d satellite, %s%s", e,
                    steps.means().getOrDefault("total", Double.NaN),
                    labels.drone().clusters(), labels.satellite().clusters(), summary(ev),
                    state.bestEpoch() == e ? " (best)" : ""));
        }
        if (!Files.exists(best))
            TrainingCheckpoint.write(best, new TrainingCheckpoint(cfg.epochs - 1, state.step(), state.bestR1(),
                    state.bestEpoch(), state.droneLabels(),
                    state.satelliteLabels()), model, sgd, cfg, null);
        writePictures(metricsFile);
        return new Outcome(state.bestR1(), state.bestEpoch(), metrics.untrainedR1(), best, last, metricsFile);
    }

    // ---------------------------------------------------------------- the phases of run(), in order

    private void checkEnoughRows() {
        for (ViewRows v : List.of(drone, satellite))
            if (v.rows() <= cfg.k1)
                throw new TrainingStopped(v.rows() + " " + v.name() + " training rows are too few for k1 = " + cfg.k1
                        + " neighbours; use a larger dataset or --set k1=<fewer than " + v.rows() + ">");
    }

    /** Epoch -1: the untrained network's figures and a checkpoint a resume can start from. */
    private void evaluateUntrained(MetricsLog metrics, TrainingCheckpoint start) throws IOException {
        ObjectNode line = metrics.newLine(-1);
        long t0 = System.nanoTime();
        EvaluationResult ev = evaluate();
        putEval(line, ev);
        line.putObject("seconds").put("eval", seconds(t0));
        metrics.append(line);
        TrainingCheckpoint.write(last, start, model, sgd, cfg, null);
        log.accept("epoch -1 (untrained): " + summary(ev));
    }

    /** The epoch's lr and, at cmlabel, the reference's reload of its best weights (a choice made on the test split). */
    private void beginEpoch(int e, TrainingCheckpoint state, EpochLog line) throws IOException {
        schedule.apply(sgd, e);
        line.json.put("lr", sgd.lr());
        if (!trueLabels && e == cfg.cmlabel && cfg.reloadBestAtCmlabel && Files.exists(best)
                && state.bestEpoch() >= 0) {
            List<Tensor> old = model.parameters().stream().map(Parameter::value).toList();
            ConvNeXtWeights.load(model, CheckpointFile.read(best).section(Checkpoint.MODEL).orElseThrow(),
                    best.toString());
            // The load made new parameter tensors; the old ones would stay allocated on a device.
            for (Tensor t : old) t.close();
            log.accept("epoch " + e + ": reloaded the best weights (epoch " + state.bestEpoch()
                    + ", selected on the test split)");
        }
        line.json.put("selected_on_test",
                !trueLabels && e >= cfg.cmlabel && cfg.reloadBestAtCmlabel && data.queryDrone().size() > 0);
        line.json.put("labels", cfg.labels);
    }

    /** Both views' clustering features, unnormalised, one row per training row (satellite copies expanded). */
    private record ViewFeatures(float[] drone, float[] satellite, int dim) {}

    private ViewFeatures extractClusteringFeatures() {
        float[] d = drone.expand(extractClustering(drone)), s = satellite.expand(extractClustering(satellite));
        return new ViewFeatures(d, s, model.config().embeddingDim());
    }

    private record EpochLabels(PseudoLabels drone, PseudoLabels satellite) {}

    private EpochLabels labels(int e, ViewFeatures f, TrainingCheckpoint previous) {
        if (trueLabels) // The supervised upper bound: place folder ids, one label space for both views (no clustering).
            return new EpochLabels(PseudoLabels.of(truth.drone(), f.drone(), drone.rows(), f.dim(), 0),
                    PseudoLabels.of(truth.satellite(), f.satellite(), satellite.rows(), f.dim(), 0));
        return new EpochLabels(
                pseudoLabels("drone", f.drone(), drone.rows(), f.dim(), cfg.epsDrone, previous.droneLabels(), e),
                pseudoLabels("satellite", f.satellite(), satellite.rows(), f.dim(), cfg.epsSatellite,
                        previous.satelliteLabels(), e));
    }

    private EpochMemories memories(int e, EpochLabels l, ViewFeatures f, EpochLog line) {
        if (e < sharedFrom)
            return EpochMemories.perView(be, l.drone(), l.satellite(), e == 0 ? cfg.momentumFirstEpoch : cfg.momentum);
        int[] unified = trueLabels ? truth.satellite() : associate(l.drone(), l.satellite(), e);
        line.json.put("association_labelled", labelled(unified));
        return EpochMemories.shared(be, l.drone(), l.satellite(), unified, f.drone(), f.satellite(),
                cfg.sharedMomentum);
    }

    private void putSteps(EpochLog line, EpochSteps steps, EpochMemories mem) {
        line.json.put("steps", cfg.iters);
        line.json.put("images_per_s", cfg.iters * (double) (cfg.batchSize * 3) / line.seconds("steps"));
        ObjectNode lossNode = line.json.putObject("loss");
        steps.means().forEach(lossNode::put);
        // The first step's terms against ln C (a memory loss of a
        // start whose features ignore the augmentation sits below it).
        ObjectNode first = line.json.putObject("first_step_loss");
        steps.first().forEach(first::put);
        ObjectNode lnC = line.json.putObject("ln_clusters");
        for (var m : mem.clusterCounts().entrySet()) lnC.put(m.getKey(), Math.log(m.getValue()));
    }

    /**
     * The epoch's line and checkpoints (best on a strict improvement
     * of drone->satellite R@1, last always); the new state.
     */
    private TrainingCheckpoint save(int e, TrainingCheckpoint before, EvaluationResult ev, EpochLabels l,
                                    EpochMemories mem, EpochLog line,
                                    MetricsLog metrics) throws IOException {
        putEval(line.json, ev);
        double r1 = d2sRecall(ev);
        boolean improved = r1 > before.bestR1();
        metrics.append(line.finish(improved));
        TrainingCheckpoint state = new TrainingCheckpoint(e, before.step() + cfg.iters, improved ? r1 : before.bestR1(),
                improved ? e : before.bestEpoch(), l.drone().labels(), l.satellite().labels());
        Map<String, HostArray> memories = mem.arrays();
        if (improved) TrainingCheckpoint.write(best, state, model, sgd, cfg, memories);
        TrainingCheckpoint.write(last, state, model, sgd, cfg, memories);
        return state;
    }

    /** The charts of the metrics and, with the final weights, a few queries beside their top tiles: RUN/plots/. */
    private void writePictures(Path metricsFile) {
        Path plots = opt.runDir().resolve("plots");
        try {
            MetricsCharts.Result r = MetricsCharts.write(metricsFile, plots);
            // Terms that start at later epochs (hm, ht, cmlabel) are
            // missing before them by design: not worth a line each.
            r.notes().stream().filter(n -> !n.endsWith("(missing)")).forEach(n -> log.accept("plots: " + n));
            model.eval();
            List<QueryHits> q = QueryExamples.of(data, model::embeddingRows, be, cfg.size, 4, QueryMosaic.TOP, log);
            if (!q.isEmpty())
                QueryMosaic.write(plots.resolve("queries.png"), q).forEach(n -> log.accept("plots: " + n));
        } catch (IOException | RuntimeException e) {
            // Pictures are a convenience: the checkpoints and metrics are already saved, so a failure here only warns.
            log.accept("warning: could not write the pictures into " + plots + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- one epoch of steps

    /** An epoch's mean loss terms and its first step's. */
    private record EpochSteps(Map<String, Double> means, Map<String, Double> first) {}

    private EpochSteps trainEpoch(int epoch, EpochMemories mem, long firstStep) throws IOException {
        model.train(true);
        PkSampler droneSampler = new PkSampler(mem.droneLabels(), cfg.numInstances, cfg.batchSize,
                streamSeed(epoch, 1));
        PkSampler satSampler = new PkSampler(mem.satelliteLabels(), cfg.numInstances, cfg.batchSize,
                streamSeed(epoch, 2));
        List<int[]> droneBatches = droneSampler.epoch(cfg.iters), satBatches = satSampler.epoch(cfg.iters);
        int pad = TrainAugment.padFor(cfg.size, cfg.cropPad);
        TrainAugment augment = new TrainAugment(cfg.size, false, cfg.colorJitter, pad);
        Map<String, Double> sums = new LinkedHashMap<>(), first = new LinkedHashMap<>();
        LiveMemoryRange liveAfterSteps = new LiveMemoryRange();
        int threads = Math.max(1, opt.threads());
        try (Prefetcher dp = new Prefetcher(new BatchMaker(drone::fileOf, augment, 1, streamSeed(epoch, 3), log),
                droneBatches.iterator(), threads, 2);
             Prefetcher sp = new Prefetcher(new BatchMaker(satellite::fileOf, new TrainAugment(cfg.size,
                     cfg.satelliteRotate90, cfg.colorJitter, pad), 2, streamSeed(epoch, 4), log), satBatches.iterator(),
                     threads, 2);
             Progress bar = progress.start("epoch " + epoch + " steps", cfg.iters);
             StepLog stepLog = cfg.stepLog ? new StepLog(opt.runDir().resolve("steps.jsonl")) : null) {
            be.setOutOfMemoryAdvice("lower the training batch with --set batch_size= (now " + cfg.batchSize + ")");
            for (int i = 0; i < cfg.iters; i++) {
                Batch db = dp.next(), sb = sp.next();
                long stepNumber = firstStep + i;
                Map<String, Double> values;
                try {
                    values = step.run(epoch, mem, db, sb, v -> checkFinite(v, epoch, stepNumber), stepLog, stepNumber);
                } catch (DeviceOutOfMemoryException e) {
                    throw outOfMemory(e, "step " + stepNumber + " of epoch " + epoch);
                }
                values.forEach((k, v) -> sums.merge(k, v, Double::sum));
                if (i == 0) first.putAll(values);
                liveAfterSteps.add(be.memoryStats());
                bar.status(String.format("loss %.4f", values.get("total")));
                bar.step(1);
            }
        }
        DeviceMemoryStats memory = be.memoryStats();
        if (memory != null) log.accept("epoch " + epoch + " steps done; device memory: " + memory.describe() + "; "
                + liveAfterSteps.describe());
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, v) -> means.put(k, v / cfg.iters));
        return new EpochSteps(means, first);
    }

    private void checkFinite(Map<String, Double> values, int epoch, long step) {
        double total = values.get("total");
        if (Double.isFinite(total)) return;
        throw new TrainingStopped(String.format("loss is %s at epoch %d, step %d (terms %s); last good checkpoint %s: "
                        + "lower lr (--set lr=...) and resume with --resume",
                total, epoch, step, values, last));
    }

    /**
     * Out of device memory: the allocator's line (allocation, bytes free, option to lower) and where to resume from.
     */
    private TrainingStopped outOfMemory(DeviceOutOfMemoryException e, String where) {
        String resume = Files.exists(last) ? "the last good checkpoint is " + last + " (continue with --resume)"
                : "no checkpoint was written yet";
        return new TrainingStopped(e.getMessage() + ", during " + where + "; " + resume);
    }

    // ---------------------------------------------------------------- features, clusters, association

    private float[][] extractClustering(ViewRows view) {
        try {
            return ViewClustering.features(model, be, view.images(), cfg.size, cfg.extractBatch, opt.threads(),
                    progress, log);
        } catch (DeviceOutOfMemoryException e) {
            throw outOfMemory(e, "clustering feature extraction (" + view.name() + ")");
        }
    }

    private PseudoLabels pseudoLabels(String view, float[] raw, int n, int dim, double eps, int[] previous, int epoch) {
        PseudoLabels p = ViewClustering.labels(raw, n, dim, ViewClustering.settings(cfg, eps), knn, progress);
        if (p.clusters() > 0) return p;
        if (previous == null)
            throw new TrainingStopped("epoch " + epoch + ": DBSCAN found no cluster among " + n + " " + view
                    + " rows at eps " + eps
                    + " (0 clusters); raise eps_" + view + " with --set, or start from pretrained --weights");
        log.accept("epoch " + epoch + ": DBSCAN found no " + view + " cluster at eps " + eps
                + "; keeping the previous epoch's labels");
        return PseudoLabels.of(previous, raw, n, dim, p.seconds());
    }

    /** The features and their noisy copies live for this call only: one scope. */
    private int[] associate(PseudoLabels dl, PseudoLabels sl, int epoch) {
        try (Scope s = be.scope()) {
            return associateInScope(dl, sl, epoch);
        }
    }

    private int[] associateInScope(PseudoLabels dl, PseudoLabels sl, int epoch) {
        int dim = dl.dim();
        Tensor fs = be.fromArray(sl.unitFeatures(), Shape.of(sl.labels().length, dim));
        Tensor fd = be.fromArray(dl.unitFeatures(), Shape.of(dl.labels().length, dim));
        // The noisy copies draw from their own seeded stream per epoch and view (dmnil.md 5.1).
        Tensor fsNoisy = FeatureNoise.add(fs, cfg.assocNoise, streamSeed(epoch, 5)),
                fdNoisy = FeatureNoise.add(fd, cfg.assocNoise, streamSeed(epoch, 6));
        return new CrossViewAssociation(cfg.assocTopk, cfg.smoothTopk, CrossViewAssociation.DEFAULT_TILE_ROWS)
                .associate(fs, fd, dl.labels(), fsNoisy, fdNoisy).smoothed();
    }

    // ---------------------------------------------------------------- evaluation and metrics

    private EvaluationResult evaluate() {
        model.eval();
        Evaluation.Options base = Evaluation.Options.defaults(cfg.size);
        Evaluation.Options o = new Evaluation.Options(cfg.size, cfg.extractBatch, base.protocol(), base.directions(),
                Math.max(1, opt.threads()), null);
        be.setOutOfMemoryAdvice("lower the extraction batch with --set extract_batch= (now " + cfg.extractBatch + ")");
        try {
            return Evaluation.run(data, model::embeddingRows, be, o, progress, log);
        } catch (DeviceOutOfMemoryException e) {
            throw outOfMemory(e, "evaluation");
        }
    }



    private static double d2sRecall(EvaluationResult ev) {
        for (RetrievalMetrics m : ev.directions())
            if (m.direction().equals(Direction.D2S.label())) return m.recallAt1();
        return Double.NEGATIVE_INFINITY;
    }

    private static void putEval(ObjectNode line, EvaluationResult ev) {
        ObjectNode evNode = line.putObject("eval");
        for (RetrievalMetrics m : ev.directions()) {
            String key = m.direction().equals(Direction.D2S.label()) ? "d2s" : "s2d";
            ObjectNode d = evNode.putObject(key);
            d.put("r1", m.recallAt1());
            d.put("r5", m.recallAt5());
            d.put("r10", m.recallAt10());
            d.put("ap", m.ap());
        }
    }

    private void putClusters(ObjectNode line, PseudoLabels dl, PseudoLabels sl) {
        ObjectNode c = line.putObject("clusters"), o = line.putObject("outliers"), p = line.putObject("purity"),
                a = line.putObject("ari");
        ObjectNode sizes = line.putObject("cluster_sizes");
        for (var v : List.of(Map.entry(drone, dl), Map.entry(satellite, sl))) {
            String name = v.getKey().name();
            c.put(name, v.getValue().clusters());
            o.put(name, v.getValue().outliers());
            LabelQuality q = LabelQuality.of(v.getValue().labels(), v.getKey().folderIdsForDiagnostics());
            p.put(name, q.purity());
            a.put(name, q.adjustedRand());
            var arr = sizes.putArray(name);
            for (int s : v.getValue().clusterSizes()) arr.add(s);
        }
    }

    private static String summary(EvaluationResult ev) {
        StringBuilder sb = new StringBuilder();
        for (RetrievalMetrics m : ev.directions())
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(String.format("%s R@1 %.2f AP %.2f", m.direction(), m.recallAt1(), m.ap()));
        return sb.length() == 0 ? "no test split to evaluate" : sb.toString();
    }

    private static int labelled(int[] labels) {
        int n = 0;
        for (int l : labels) if (l >= 0) n++;
        return n;
    }

    /** One seed per (epoch, purpose): resuming at an epoch replays exactly what an uninterrupted run does. */
    private long streamSeed(int epoch, int purpose) {
        return cfg.seed * 1_000_003L + epoch * 97L + purpose;
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
