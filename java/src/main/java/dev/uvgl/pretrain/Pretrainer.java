package dev.uvgl.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.data.pipeline.Batch;
import dev.uvgl.data.pipeline.BatchMaker;
import dev.uvgl.data.pipeline.PkSampler;
import dev.uvgl.data.pipeline.Prefetcher;
import dev.uvgl.data.synth.Streams;
import dev.uvgl.dmnil.MetricsLog;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.nn.optim.AdamW;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The pretraining loop, top to bottom: probe the untrained network; then in rounds of probe_every steps,
 * sample a drone batch (source places x views) and a tile batch (two views of each tile), embed both,
 * take each label space's cosine-classifier loss against its momentum prototypes, step AdamW on a warm-up +
 * cosine schedule; after each round probe, log and checkpoint. No label ties a drone photo to a tile: the
 * two spaces have separate prototypes and share only the backbone.
 */
public final class Pretrainer {
    /** Where the run lives. */
    /** @param until stop after this many steps (at a probe boundary) as if interrupted; --resume continues */
    public record Options(Path runDir, boolean resume, int threads, long until) {}

    /** What the run ended with: the last probe and the steps taken. */
    public record Outcome(long steps, ProbeFigures untrained, ProbeFigures last, double trainSeconds, Path metrics) {
        public boolean finished(PretrainConfig cfg) { return steps >= cfg.steps; }
    }

    private final PretrainConfig cfg;
    private final Backend be;
    private final SourceData source;
    private final Probe probe;
    private final ConvNeXt model;
    private final Options opt;
    private final Progress.Factory progress;
    private final Consumer<String> log;
    private final AdamW adamw;
    private final Prototypes places, tiles;
    private final Path last;

    public Pretrainer(PretrainConfig cfg, Backend be, SourceData source, Probe probe, ConvNeXt model, Options opt,
                      Progress.Factory progress, Consumer<String> log) {
        this.cfg = cfg;
        this.be = be;
        this.source = source;
        this.probe = probe;
        this.model = model;
        this.opt = opt;
        this.progress = progress;
        this.log = log;
        this.adamw = new AdamW(model.parameters(), cfg.lr, cfg.beta1, cfg.beta2, 1e-8, cfg.weightDecay, false);
        int dim = model.config().embeddingDim();
        this.places = prototypes(randomUnitRows(source.places(), dim, 1));
        this.tiles = prototypes(randomUnitRows(source.tiles(), dim, 2));
        this.last = opt.runDir().resolve("checkpoints").resolve("last.ckpt");
    }

    public ConvNeXt model() { return model; }

    Prototypes placePrototypes() { return places; }

    Prototypes tilePrototypes() { return tiles; }

    private Prototypes prototypes(Tensor rows) {
        return cfg.prototypes.equals("momentum") ? Prototypes.momentum(rows, cfg.memoryMomentum)
                : Prototypes.learned(rows, cfg.beta1, cfg.beta2);
    }

    public AdamW optimizer() { return adamw; }

    public Outcome run() throws IOException {
        Files.createDirectories(last.getParent());
        Path metricsFile = opt.runDir().resolve("metrics.jsonl");
        long step = 0;
        double trainSeconds = 0;
        MetricsLog metrics;
        ProbeFigures untrained, latest;
        if (opt.resume() && Files.exists(last)) {
            PretrainCheckpoint.State s = PretrainCheckpoint.read(last, this);
            step = s.step();
            trainSeconds = s.trainSeconds();
            metrics = MetricsLog.resume(metricsFile, "step", step);
            untrained = s.untrained();
            latest = s.latest();
            log.accept("resuming after step " + step + " from " + last);
        } else {
            metrics = MetricsLog.create(metricsFile, "step");
            untrained = probe.measure(model);
            latest = untrained;
            ObjectNode line = metrics.newLine(0);
            untrained.into(line);
            metrics.append(line);
            log.accept("step 0 (untrained) " + untrained.summary());
            PretrainCheckpoint.write(last, new PretrainCheckpoint.State(0, 0, untrained, untrained), this, model, cfg);
        }
        while (step < Math.min(cfg.steps, opt.until())) {
            long end = Math.min(cfg.steps, step + cfg.probeEvery);
            long t0 = System.nanoTime();
            RoundLosses r = round(step, end);
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            step = end;
            if (!Double.isFinite(r.mean(RoundLosses.TOTAL)))
                throw new PretrainingStopped(String.format("loss is %s in the steps before %d; "
                                + "last good checkpoint %s: lower lr (--set lr=...) and resume with --resume",
                        r.mean(RoundLosses.TOTAL), step, last));
            latest = probe.measure(model);
            ObjectNode line = metrics.newLine(step);
            line.put("lr", adamw.lr());
            line.put("augment_strength", new AugmentRamp(cfg.augmentRampSteps, cfg.augmentMax).strength(step));
            r.into(line.putObject("loss"));
            line.put("images_per_s", r.images() / seconds);
            line.put("train_seconds", trainSeconds);
            latest.into(line);
            metrics.append(line);
            PretrainCheckpoint.write(last, new PretrainCheckpoint.State(step, trainSeconds, untrained, latest), this,
                    model, cfg);
            log.accept(String.format("step %d: loss %.4f (drone %.4f, tile %.4f), %.0f images/s; %s", step,
                    r.mean(RoundLosses.TOTAL),
                    r.mean(RoundLosses.DRONE), r.mean(RoundLosses.TILE), r.images() / seconds, latest.summary()));
        }
        return new Outcome(step, untrained, latest, trainSeconds, metricsFile);
    }

    /** Steps [from, to): one sampler stream per round, so a run resumed at a round boundary replays exactly. */
    private RoundLosses round(long from, long to) {
        int n = (int) (to - from);
        long roundSeed = Streams.of(cfg.seed, 11, from).nextLong();
        List<int[]> droneBatches = new PkSampler(source.dronePlace(), cfg.viewsPerPlace,
                cfg.batchPlaces * cfg.viewsPerPlace, roundSeed + 1).epoch(n);
        List<int[]> tileBatches = new PkSampler(source.tileLabels(), 1, cfg.batchTiles, roundSeed + 2).epoch(n);
        int threads = Math.max(1, opt.threads());
        RoundLosses sums = new RoundLosses();
        model.train(true);
        try (Prefetcher dp = new Prefetcher(
                new BatchMaker(source.droneFiles()::get, PretrainViews.drone(cfg, from), 1, roundSeed + 3, log),
                droneBatches.iterator(), threads, 2);
             Prefetcher tp = new Prefetcher(
                     new BatchMaker(source.tileFiles()::get, PretrainViews.tile(cfg, from), 2, roundSeed + 4, log),
                     tileBatches.iterator(), threads, 2);
             Progress bar = progress.start("pretrain steps " + from + "-" + to, n)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long step = from + i;
                adamw.setLr(LearningRate.at(cfg, step));
                Batch db = dp.next(), tb = tp.next();
                // One scope per step: activations, gradients and temporaries
                // go back to the device's allocator when it closes.
                try (Scope s = be.scope()) {
                    Tensor xd = L2Normalize.apply(
                            model.forward(be.fromArray(db.data(), Shape.of(db.images(), cfg.size, cfg.size, 3))));
                    Tensor xt = L2Normalize.apply(
                            model.forward(be.fromArray(tb.data(), Shape.of(tb.images(), cfg.size, cfg.size, 3))));
                    int[] yd = labelsOf(db.rows(), source.dronePlace(), 1), yt = labelsOf(tb.rows(), null, 2);
                    boolean batch = cfg.objective.equals("batch");
                    Tensor ld = batch ? BatchContrast.loss(xd, yd, cfg.tau) : places.loss(xd, yd, cfg.tau);
                    Tensor lt = batch ? BatchContrast.loss(xt, yt, cfg.tau) : tiles.loss(xt, yt, cfg.tau);
                    Tensor total = Add.apply(Scale.apply(ld, cfg.droneWeight), Scale.apply(lt, cfg.tileWeight));
                    double[] v = be.readScalars(List.of(total, ld, lt));
                    sums.add(v[0], v[1], v[2], db.images() + tb.images());
                    if (!Double.isFinite(v[0])) return sums;
                    total.backward();
                    adamw.step();
                    adamw.zeroGrad();
                    if (!batch) {
                        places.step(adamw.lr());
                        tiles.step(adamw.lr());
                    }
                }
                double rate = sums.images() / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
                bar.status(String.format("loss %.4f, %.0f images/s", sums.last(), rate));
                bar.step(1);
            }
        }
        return sums;
    }

    /** Each batch row's class: its place for drone photos, the tile itself for tiles (view-major repeats). */
    private static int[] labelsOf(int[] rows, int[] classOfRow, int views) {
        int[] out = new int[rows.length * views];
        for (int v = 0; v < views; v++)
            for (int i = 0; i < rows.length; i++)
                out[v * rows.length + i] = classOfRow == null ? rows[i] : classOfRow[rows[i]];
        return out;
    }

    /** Unit rows drawn from a seeded Gaussian: the prototypes before any class has been seen. */
    private Tensor randomUnitRows(int n, int dim, int purpose) {
        SplittableRandom r = Streams.of(cfg.seed, 21, purpose);
        float[] rows = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                double u = r.nextDouble(1e-12, 1), w = r.nextDouble();
                double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
                rows[i * dim + j] = (float) g;
                sq += g * g;
            }
            float inv = (float) (1 / Math.sqrt(sq));
            for (int j = 0; j < dim; j++) rows[i * dim + j] *= inv;
        }
        return be.fromArray(rows, Shape.of(n, dim));
    }

    /** Mean loss terms of one round. */
    static final class RoundLosses {
        static final int TOTAL = 0, DRONE = 1, TILE = 2;
        private final double[] sum = new double[3];
        private int steps;
        private long images;

        private double last = Double.NaN;

        void add(double total, double drone, double tile, long imgs) {
            last = total;
            sum[TOTAL] += total;
            sum[DRONE] += drone;
            sum[TILE] += tile;
            steps++;
            images += imgs;
        }

        double mean(int term) { return steps == 0 ? Double.NaN : sum[term] / steps; }

        long images() { return images; }

        double last() { return last; }

        void into(ObjectNode o) {
            o.put("total", mean(TOTAL));
            o.put("drone_places", mean(DRONE));
            o.put("tiles", mean(TILE));
        }
    }

    /** Linear warm-up to lr, then cosine decay to min_lr at the last step. */
    static final class LearningRate {
        private LearningRate() {}

        static double at(PretrainConfig cfg, long step) {
            if (step < cfg.warmupSteps) return cfg.lr * (step + 1) / cfg.warmupSteps;
            long span = Math.max(1, cfg.steps - cfg.warmupSteps - 1);
            double t = Math.min(1.0, (double) (step - cfg.warmupSteps) / span);
            return cfg.minLr + (cfg.lr - cfg.minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
        }
    }
}
