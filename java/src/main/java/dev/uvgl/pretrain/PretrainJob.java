package dev.uvgl.pretrain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.backend.Backend;
import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.synth.SynthOptions;
import dev.uvgl.data.synth.SynthWorld;
import dev.uvgl.data.synth.WorldInfo;
import dev.uvgl.dmnil.MetricsLog;
import dev.uvgl.dmnil.StartWeights;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.BundledWeights;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.SafeTensors;
import dev.uvgl.model.weights.WeightsCard;
import dev.uvgl.tensor.DType;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One `pretrain` run end to end: the source and probe worlds (generated into the run folder from their
 * seeds unless they are there), the backbone, the loop, and the outputs: RUN/weights.safetensors (timm
 * layout, float32), RUN/weights-f16.safetensors (the same at half precision, what the engine ships) and
 * their card RUN/weights.json (model, size, source seed, command, commit, steps, seconds, probe figures).
 */
public final class PretrainJob {
    /** What a caller knows about the run besides the config: where, the command line, the commit. */
    public record Setup(Path runDir, boolean resume, int threads, long until, String command, String commit) {}

    /** The outcome and, once every step is done, the weight files and their card (null while the run is unfinished). */
    public record Result(Pretrainer.Outcome outcome, Path weights, Path halfWeights, Path card, double wallSeconds) {}

    private PretrainJob() {}

    public static Result run(PretrainConfig cfg, Backend be, Setup setup, Progress.Factory progress,
            Consumer<String> log) throws IOException {
        long t0 = System.nanoTime();
        if (cfg.sourceSeed == SynthOptions.DEFAULT_SEED)
            throw new IllegalArgumentException("source_seed " + cfg.sourceSeed
                    + " is the map of the default world (synth's and demo's seed), which the "
                    + "weights are evaluated on; choose another --set source_seed");
        Optional<WeightsCard> initCard = initCard(cfg);
        Path sourceDir = setup.runDir().resolve("source"), probeDir = setup.runDir().resolve("probe");
        world(sourceDir, new SynthOptions(cfg.sourcePlaces, cfg.sourceDrones, cfg.sourceImageSize, cfg.sourceSeed, 0.5,
                cfg.sourceTileSpan), progress, log);
        world(probeDir, new SynthOptions(cfg.probePlaces, SynthOptions.DEFAULT_DRONES, SynthOptions.DEFAULT_SIZE,
                cfg.probeSeed), progress, log);
        DatasetLoader loader = new DatasetLoader(log);
        GeoDataset source = loader.load(sourceDir, null).get(0), probeWorld = loader.load(probeDir, null).get(0);
        SourceData data = SourceData.of(source);
        log.accept(String.format("source world (seed %d): %d drone photos of %d places, %d tiles; probe world seed %d",
                cfg.sourceSeed, data.droneFiles().size(), data.places(), data.tiles(), cfg.probeSeed));
        ConvNeXtConfig arch = cfg.arch();
        ConvNeXt model = new ConvNeXt(arch, be, DType.F32, cfg.seed);
        if (cfg.layerScaleInit != ConvNeXtConfig.LAYER_SCALE_INIT) model.setLayerScale(cfg.layerScaleInit);
        if (!setup.resume() && initCard.isPresent())
            log.accept("pretrain: starting from " + StartWeights.apply(cfg.init, model,
                    new StartWeights.Target(cfg.model, cfg.size, cfg.seed, "--set init="),
                    null, log) + " (" + initCard.get().all().path("steps").asLong() + " steps)");
        Probe probe = new Probe(probeWorld, be, cfg.size, cfg.extractBatch, setup.threads(), log);
        Pretrainer p = new Pretrainer(cfg, be, data, probe, model,
                new Pretrainer.Options(setup.runDir(), setup.resume(), setup.threads(), setup.until()), progress, log);
        Pretrainer.Outcome o = p.run();
        if (!o.finished(cfg)) return new Result(o, null, null, null, (System.nanoTime() - t0) / 1e9);

        Path weights = setup.runDir().resolve("weights.safetensors"),
                half = setup.runDir().resolve("weights-f16.safetensors");
        Map<String, String> meta = Map.of("uvgl.size", String.valueOf(cfg.size), "uvgl.source_seed",
                String.valueOf(cfg.sourceSeed));
        ConvNeXtWeights.saveTimm(model, weights, meta, SafeTensors.Precision.F32);
        ConvNeXtWeights.saveTimm(model, half, meta, SafeTensors.Precision.F16);
        double wall = (System.nanoTime() - t0) / 1e9;
        Path card = setup.runDir().resolve("weights.json");
        ObjectNode about = card(cfg, setup, o, wall, initCard);
        WeightsCard.write(card, about);
        WeightsCard.write(WeightsCard.besides(half), about);
        return new Result(o, weights, half, card, wall);
    }

    private static ObjectNode card(PretrainConfig cfg, Setup setup, Pretrainer.Outcome o, double wall,
            Optional<WeightsCard> initCard) throws IOException {
        ObjectNode c = WeightsCard.newCard(cfg.model, cfg.size, cfg.sourceSeed);
        c.put("layout", "timm");
        c.put("made_by", "uvgl pretrain");
        c.put("command", setup.command());
        c.put("commit", setup.commit());
        c.put("steps", o.steps());
        initCard.ifPresent(init -> {
            c.put("init", cfg.init);
            c.put("init_steps", init.all().path("steps").asLong());
            c.put("steps_total", o.steps() + init.all().path("steps").asLong());
            c.put("init_train_seconds", init.all().path("train_seconds").asDouble());
        });
        c.put("seed", cfg.seed);
        c.put("probe_seed", cfg.probeSeed);
        c.put("train_seconds", o.trainSeconds());
        c.put("wall_seconds_last_invocation", wall);
        c.put("labels", "source places' drone views (one class each) and source tiles (one class each); "
                + "no label ties a drone view to a tile");
        ObjectNode probe = c.putObject("probe");
        ArrayNode curve = probe.putArray("curve");
        for (var n : MetricsLog.resume(o.metrics(), "step", Long.MAX_VALUE).entries()) {
            ObjectNode point = curve.addObject();
            point.put("step", n.path("step").asLong());
            point.setAll((ObjectNode) n.path("probe"));
        }
        c.set("config", cfg.toJson());
        return c;
    }

    /**
     * The card of the weights a continued pretraining starts from (empty for init=none). The card keeps one source
     * seed, which later runs check their worlds against, so the start must come from the same source map.
     */
    private static Optional<WeightsCard> initCard(PretrainConfig cfg) throws IOException {
        if (cfg.init.equals(BundledWeights.NONE)) return Optional.empty();
        Optional<WeightsCard> card = BundledWeights.isBundled(cfg.init) ? BundledWeights.card(cfg.init)
                : WeightsCard.readBeside(Path.of(cfg.init));
        if (card.isEmpty())
            throw new IllegalArgumentException("init " + cfg.init + " has no weights card beside it ("
                    + WeightsCard.besides(Path.of(cfg.init))
                    + "); a continued pretraining starts from weights an earlier pretrain made "
                    + "(RUN/weights.safetensors)");
        if (!card.get().model().equals(cfg.model) || card.get().size() != cfg.size)
            throw new IllegalArgumentException("init " + cfg.init + " was made for ConvNeXt-" + card.get().model()
                    + " at " + card.get().size()
                    + " px; this run is " + cfg.model + " at " + cfg.size + " px: --set model=" + card.get().model()
                    + " --set size=" + card.get().size());
        if (card.get().sourceSeed() != cfg.sourceSeed)
            throw new IllegalArgumentException("init " + cfg.init + " was pretrained on source seed "
                    + card.get().sourceSeed() + ", this run on "
                    + cfg.sourceSeed + "; the card can name one source map only: --set source_seed="
                    + card.get().sourceSeed());
        return card;
    }

    /** Generates the world unless a complete one of the same seed is there; a world of another seed is an error. */
    private static void world(Path dir, SynthOptions o, Progress.Factory progress,
            Consumer<String> log) throws IOException {
        if (Files.isDirectory(dir)) {
            long seed = WorldInfo.read(dir).map(WorldInfo::seed).orElse(Long.MIN_VALUE);
            if (seed != o.seed())
                throw new IllegalArgumentException(dir + " holds a world of seed "
                        + (seed == Long.MIN_VALUE ? "unknown" : seed) + ", the run asks for seed "
                        + o.seed() + "; delete the folder or start a new run folder");
            return;
        }
        log.accept("generating " + dir + " (seed " + o.seed() + ", " + o.places() + " places, " + o.dronesPerPlace()
                + " drone views each)");
        new SynthWorld(o).generate(dir, progress);
    }
}
