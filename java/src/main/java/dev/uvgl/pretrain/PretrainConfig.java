package dev.uvgl.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.data.synth.TileCamera;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.util.Key;
import dev.uvgl.util.Settings;

import java.util.List;

/**
 * Every constant of pretraining (not part of the reference: the engine's own start, made without drone-satellite
 * pairs). Two label spaces share one backbone and never meet: each source place's drone views are one class,
 * each source tile is its own class. The default objective contrasts each batch's views against the batch's
 * other classes (objective=batch); a cosine classifier over every class (objective=prototypes) stayed at
 * chance (2 ln 675) for 400 steps at the same augmentations, where the batch objective's losses fell below
 * chance within 250 (bench/results/2026-12-02-pretrain.md).
 */
public final class PretrainConfig extends Settings<PretrainConfig> {
    // ---- the source world (generated from its own seed; never the map of a world that is evaluated) ----
    @Key(doc = "seed of the source map the backbone learns from") public long sourceSeed = 9001;
    @Key(doc = "train places of the source world "
            + "(it also has as many test places and a quarter as many distractors: all are used)")
    public int sourcePlaces = 600;
    @Key(doc = "drone views per source place") public int sourceDrones = 16;
    @Key(doc = "image side of the source world's photos and tiles, pixels") public int sourceImageSize = 128;
    @Key(doc = "ground a source tile covers, metres (wider than a view, so views can zoom out, turn and tilt)")
    public double sourceTileSpan = 300;
    @Key(doc = "ground a nadir view at zoom 1 covers, metres (the evaluated worlds' tile span)")
    public double viewSpan = 150;
    @Key(doc = "seed of the probe world "
            + "(retrieval figures every probe_every steps, reported only, never used for a choice)")
    public long probeSeed = 4242;
    @Key(doc = "train places of the probe world") public int probePlaces = 80;

    // ---- the network and its input ----
    @Key(doc = "backbone: atto, femto, pico, nano, tiny, small") public String model = "atto";
    @Key(doc = "training image size in pixels (a multiple of 32): the size the weights are made for")
    public int size = 64;
    @Key(doc = "initial layer scale gamma (timm's 1e-6; AdamW grows it)") public double layerScaleInit = 1e-6;
    @Key(doc = "weights to start from: none (random init from seed), aerial, or a .safetensors file with its card "
            + "from an earlier pretrain on the same source_seed (a continued pretraining)")
    public String init = "none";

    // ---- batches and views ----
    @Key(doc = "source places per step (drone label space)") public int batchPlaces = 8;
    @Key(doc = "drone views per place per step") public int viewsPerPlace = 4;
    @Key(doc = "source tiles per step (tile label space), two views of each") public int batchTiles = 32;
    @Key(doc = "share of tile views taken by the drone's oblique camera (the rest nadir, any turn, zoom 0.6-1.6)")
    public double obliqueShare = 0.6;
    @Key(doc = "final colour jitter (DMNIL's train transform: brightness, contrast, saturation and hue)")
    public double colorJitter = 0.5;
    @Key(doc = "strength the augmentations ramp up to (1: the drone's full camera and photometry, "
            + "the full turn and zoom, color_jitter; "
            + "at 1 the batch losses stayed near chance for 1500 steps, at 0.5 they fell within 250)")
    public double augmentMax = 0.5;
    @Key(doc = "steps over which the augmentations ramp in linearly from none to full: colour jitter, "
            + "and the tile views' turn, zoom, centre jitter and oblique share")
    public int augmentRampSteps = 500;
    @Key(doc = "pad before the random crop, pixels at 384 px, scaled to the size (DMNIL's crop_pad)")
    public double cropPad = 10;

    // ---- loss and optimisation ----
    @Key(doc = "temperature of both losses") public double tau = 0.1;
    @Key(doc = "objective of both label spaces: batch (supervised contrast among the batch's own classes) "
            + "or prototypes (a cosine classifier over every class)")
    public String objective = "batch";
    @Key(doc = "class prototypes of objective=prototypes: learned (parameters, every class moves every step) "
            + "or momentum (a cluster memory: a row moves when its class is sampled)")
    public String prototypes = "learned";
    @Key(doc = "prototype momentum of prototypes=momentum: row = m row + (1 - m) x, renormalised")
    public double memoryMomentum = 0.5;
    @Key(doc = "weight of the drone place-classification loss") public double droneWeight = 1.0;
    @Key(doc = "weight of the tile instance-discrimination loss") public double tileWeight = 1.0;
    @Key(doc = "training steps") public int steps = 3000;
    @Key(doc = "AdamW peak learning rate") public double lr = 2e-3;
    @Key(doc = "linear warm-up steps, then cosine decay to min_lr") public int warmupSteps = 300;
    @Key(doc = "learning rate at the last step") public double minLr = 1e-5;
    @Key(doc = "AdamW decoupled weight decay (matrices and convolutions; biases, norms and layer scales undecayed)")
    public double weightDecay = 0.05;
    @Key(doc = "AdamW beta1") public double beta1 = 0.9;
    @Key(doc = "AdamW beta2") public double beta2 = 0.999;

    // ---- bookkeeping ----
    @Key(doc = "steps between probes and checkpoints (a resumed run restarts at the last probe)")
    public int probeEvery = 500;
    @Key(doc = "batch size of feature extraction for the probe") public int extractBatch = 64;
    @Key(doc = "seed of initialisation, sampling and augmentation") public long seed = 1;

    public static List<String> keys() { return Settings.keys(PretrainConfig.class); }

    public static PretrainConfig fromJson(JsonNode node) { return new PretrainConfig().setFrom(node).validate(); }

    /** The README's table of pretraining keys. */
    public static String markdownTable() { return Settings.markdownTable(new PretrainConfig(), null); }

    public ConvNeXtConfig arch() {
        return ConvNeXtConfig.NAMED.stream().filter(c -> c.name().equals(model)).findFirst().orElseThrow(() ->
                new ConfigException("model '" + model + "' is not one of atto, femto, pico, nano, tiny, small"));
    }

    @Override public PretrainConfig validate() {
        positive("size", size); positive("batch_places", batchPlaces); positive("views_per_place", viewsPerPlace);
        positive("batch_tiles", batchTiles); positive("steps", steps); positive("probe_every", probeEvery);
        positive("extract_batch", extractBatch);
        positive("source_places", sourcePlaces);
        positive("probe_places", probePlaces);
        if (size % 32 != 0)
            throw new ConfigException("size " + size + " must be a multiple of 32 (ConvNeXt downsamples by 32)");
        arch();
        if (sourceSeed == probeSeed)
            throw new ConfigException("source_seed " + sourceSeed
                    + " equals probe_seed: the probe would be evaluated on the map the backbone "
                    + "learns from; choose another --set source_seed or probe_seed");
        if (!(colorJitter >= 0 && colorJitter <= 0.5))
            throw new ConfigException("color_jitter " + colorJitter + " must lie in [0, 0.5]");
        if (!(obliqueShare >= 0 && obliqueShare <= 1))
            throw new ConfigException("oblique_share " + obliqueShare + " must lie in [0, 1]");
        if (!objective.equals("batch") && !objective.equals("prototypes"))
            throw new ConfigException("objective '" + objective + "' must be batch or prototypes");
        if (!prototypes.equals("learned") && !prototypes.equals("momentum"))
            throw new ConfigException("prototypes '" + prototypes + "' must be learned or momentum");
        if (!(tau > 0)) throw new ConfigException("tau " + tau + " must be > 0");
        if (!(memoryMomentum >= 0 && memoryMomentum < 1))
            throw new ConfigException("memory_momentum " + memoryMomentum + " must lie in [0, 1)");
        if (!(lr > 0) || !(minLr >= 0) || minLr > lr)
            throw new ConfigException("lr " + lr + " must be > 0 and min_lr " + minLr + " in [0, lr]");
        if (!(droneWeight >= 0) || !(tileWeight >= 0) || droneWeight + tileWeight == 0)
            throw new ConfigException("drone_weight and tile_weight must be >= 0, not both 0");
        if (!(sourceTileSpan >= viewSpan / TileCamera.MIN_ZOOM))
            throw new ConfigException("source_tile_span " + sourceTileSpan + " m must cover a view zoomed out to "
                    + TileCamera.MIN_ZOOM
                    + " (" + viewSpan / TileCamera.MIN_ZOOM + " m)");
        if (!(augmentMax >= 0 && augmentMax <= 1))
            throw new ConfigException("augment_max " + augmentMax + " must lie in [0, 1]");
        if (warmupSteps < 0 || augmentRampSteps < 0)
            throw new ConfigException("warmup_steps and augment_ramp_steps must be >= 0");
        return this;
    }
}
