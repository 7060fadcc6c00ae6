package dev.uvgl.dmnil;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.util.Key;
import dev.uvgl.util.Settings;

import java.util.List;

/**
 * Every constant of dmnil.md as a named value with the reference's default. Keys are the fields'
 * names in snake_case; a JSON file and `--set key=value` override them, and an unknown key is an
 * error that lists the known ones. Quirks of the reference are on by default, each one flag away
 * from its cleaned-up form.
 */
public final class DmnilConfig extends Settings<DmnilConfig> {
    // ---- model and data (sections 1, 2) ----
    @Key(section = "2", doc = "backbone: atto, femto, pico, nano, tiny, small") public String model = "tiny";
    @Key(section = "1", doc = "training image size in pixels (a multiple of 32)") public int size = 384;
    @Key(section = "2", doc = "initial layer scale gamma of a randomly initialised network "
            + "(1e-6 as timm; from scratch under SGD a larger value lets the blocks learn)")
    public double layerScaleInit = 1e-6;
    @Key(section = "1", doc = "PK batch size per view (the satellite batch holds two augmented views of each)")
    public int batchSize = 64;
    @Key(section = "1", doc = "samples per pseudo identity in a PK batch") public int numInstances = 4;
    @Key(section = "1", doc = "training steps per epoch") public int iters = 400;
    @Key(section = "1", doc = "virtual copies of each satellite tile (rows in clustering, memory and sampling)")
    public int satelliteCopies = 49;
    @Key(section = "1",
            doc = "colour jitter strength of brightness, contrast, saturation and hue (0.5 in the reference)")
    public double colorJitter = 0.5;
    @Key(section = "1", doc = "pad before the random crop, in pixels at 384 px (the reference's 10), "
            + "scaled to the training size: round(crop_pad * size / 384)")
    public double cropPad = 10;
    @Key(section = "1", doc = "engine option, not the reference: random quarter turns of the satellite training views "
            + "(helps training from scratch)")
    public boolean satelliteRotate90 = false;
    @Key(section = "8", doc = "number of epochs") public int epochs = 40;
    @Key(section = "8", doc = "seed of every random stream (init, sampler, augmentation, label noise)")
    public long seed = 1;
    @Key(section = "8", doc = "batch size of feature extraction for clustering and evaluation")
    public int extractBatch = 32;
    @Key(section = "8", doc = "engine option: write RUN/steps.jsonl, every step's loss terms, gradient norm "
            + "and embedding norms (reads every gradient to the host)")
    public boolean stepLog = false;
    @Key(section = "8", doc = "GEMM precision: auto (BF16 tensor cores on a GPU, float32 elsewhere), fp32, bf16")
    public String precision = "auto";

    // ---- pseudo labels (sections 3, 6) ----
    @Key(section = "6", doc = "k-reciprocal neighbours") public int k1 = 30;
    @Key(section = "6", doc = "query-expansion neighbours") public int k2 = 6;
    @Key(section = "3", doc = "DBSCAN eps for drone images") public double epsDrone = 0.40;
    @Key(section = "3", doc = "DBSCAN eps for satellite images") public double epsSatellite = 0.30;
    @Key(section = "3", doc = "DBSCAN min_samples") public int minSamples = 4;
    @Key(section = "3", doc = "labels of the losses: clusters (DMNIL's pseudo labels; no folder id reaches a loss) "
            + "or true (the place folder ids, both views sharing one label from epoch 0: the supervised upper bound)")
    public String labels = "clusters";
    @Key(section = "3", doc = "first epoch of cross-view association and shared memories") public int cmlabel = 20;
    @Key(section = "3",
            doc = "quirk: at cmlabel reload the weights of the best checkpoint so far (selected on the test split)")
    public boolean reloadBestAtCmlabel = true;

    // ---- memories (section 4) ----
    @Key(section = "4", doc = "temperature of every memory softmax") public double tau = 0.05;
    @Key(section = "4", doc = "cluster-memory momentum in epoch 0") public double momentumFirstEpoch = 0.2;
    @Key(section = "4", doc = "cluster-memory momentum after epoch 0") public double momentum = 0.1;
    @Key(section = "5", doc = "momentum of the shared memories") public double sharedMomentum = 0.1;
    @Key(section = "4", doc = "DHML short-term weight of the new features") public double stNew = 0.2;
    @Key(section = "4", doc = "DHML short-term weight of the old row (quirk: 0.7, so the weights do not sum to 1)")
    public double stOld = 0.7;
    @Key(section = "4", doc = "DHML combined = lt_weight * LT + st_weight * ST") public double ltWeight = 0.7;
    @Key(section = "4", doc = "DHML combined = lt_weight * LT + st_weight * ST") public double stWeight = 0.3;
    @Key(section = "4", doc = "weight of the DHML combined-bank loss L2") public double dhmlWeight = 0.2;
    @Key(section = "4", doc = "instance-memory momentum (rows = m * row + (1 - m) * f, f not normalised)")
    public double imMomentum = 0.9;
    @Key(section = "4", doc = "quirk: neighbour-loss gradients use the instance memory as updated before the backward")
    public boolean imUpdatedInBackward = true;
    @Key(section = "4", doc = "quirk: a shared memory's second term sees the memory moved by the first term's update")
    public boolean sharedInterleaved = true;

    // ---- association (section 5) ----
    @Key(section = "5", doc = "std of the Gaussian noise of the association's noisy copies")
    public double assocNoise = 0.05;
    @Key(section = "5", doc = "drone candidates per satellite image") public int assocTopk = 10;
    @Key(section = "5", doc = "satellite neighbours of the label smoothing") public int smoothTopk = 5;

    // ---- per-step losses (section 7) ----
    @Key(section = "7", doc = "first epoch of the intra-view neighbour losses") public int hm = 1;
    @Key(section = "7", doc = "first epoch of the cross-view neighbour losses") public int ht = 10;
    @Key(section = "7", doc = "neighbour if similarity > neighbour_thresh * row max")
    public double neighbourThresh = 0.9;
    @Key(section = "7", doc = "weight of the _s path intra-view loss") public double lamdaS = 0.5;
    @Key(section = "7", doc = "quirk: weight of the main path intra-view loss (0 in the reference)")
    public double intraMainWeight = 0.0;
    @Key(section = "7", doc = "even epochs (sat->dro): main path weight") public double crossEvenMain = 0.5;
    @Key(section = "7", doc = "even epochs (sat->dro): _s path weight (0.1 * 0.5)") public double crossEvenS = 0.05;
    @Key(section = "7", doc = "quirk: odd epochs (dro->sat): main path weight (0 in the reference)")
    public double crossOddMain = 0.0;
    @Key(section = "7", doc = "odd epochs (dro->sat): _s path weight") public double crossOddS = 0.5;
    @Key(section = "7", doc = "weight of the consistency regulariser (KL to uniform over top-k)")
    public double klWeight = 0.01;
    @Key(section = "7", doc = "memory neighbours of the consistency regulariser") public int klTopk = 10;
    @Key(section = "7", doc = "quirk: regulariser form, reference (B x B x k gather) or per_row")
    public String klForm = "reference";
    @Key(section = "7", doc = "weight of the intra-view term before cmlabel") public double wIntraBeforeCmlabel = 1.0;
    @Key(section = "7", doc = "weight of the cross-view term before cmlabel") public double wCrossBeforeCmlabel = 0.5;
    @Key(section = "7", doc = "weight of the intra-view term from cmlabel") public double wIntraAfterCmlabel = 0.1;
    @Key(section = "7", doc = "weight of the cross-view term from cmlabel") public double wCrossAfterCmlabel = 0.1;

    // ---- optimisation (section 8) ----
    @Key(section = "8", doc = "SGD learning rate") public double lr = 0.001;
    @Key(section = "8", doc = "SGD momentum") public double sgdMomentum = 0.9;
    @Key(section = "8", doc = "SGD weight decay (every parameter)") public double weightDecay = 5e-4;
    @Key(section = "8", doc = "engine option, not the reference: the blocks' layer scales (gamma) step "
            + "at this multiple of lr (1: the reference, one lr for every parameter)")
    public double layerScaleLr = 1;
    @Key(section = "8", doc = "StepLR step in epochs") public int stepSize = 20;
    @Key(section = "8", doc = "StepLR factor") public double gamma = 0.1;

    public static List<String> keys() { return Settings.keys(DmnilConfig.class); }

    public static DmnilConfig fromJson(JsonNode node) { return new DmnilConfig().setFrom(node).validate(); }

    /** A Markdown table of every key, its default and its dmnil.md section (the README's table). */
    public static String markdownTable() { return Settings.markdownTable(new DmnilConfig(), "dmnil.md"); }

    /** Range checks with the key named, so a bad value fails before any work. */
    @Override public DmnilConfig validate() {
        positive("size", size);
        positive("batch_size", batchSize);
        positive("num_instances", numInstances);
        positive("iters", iters);
        positive("satellite_copies", satelliteCopies);
        positive("k1", k1);
        positive("k2", k2);
        positive("min_samples", minSamples);
        positive("extract_batch", extractBatch); positive("step_size", stepSize);
        if (!(layerScaleLr >= 0)) throw new ConfigException("layer_scale_lr " + layerScaleLr + " must be >= 0");
        if (epochs < 0)
            throw new ConfigException("epochs " + epochs
                    + " must be >= 0 (0 writes and evaluates the initial checkpoint)");
        if (size % 32 != 0)
            throw new ConfigException("size " + size + " must be a multiple of 32 (ConvNeXt downsamples by 32)");
        if (ConvNeXtConfig.NAMED.stream().noneMatch(c -> c.name().equals(model)))
            throw new ConfigException("model '" + model + "' is not one of atto, femto, pico, nano, tiny, small");
        if (batchSize % numInstances != 0)
            throw new ConfigException("batch_size " + batchSize + " must be a multiple of num_instances "
                    + numInstances);
        if (!(tau > 0)) throw new ConfigException("tau " + tau + " must be > 0");
        if (!(epsDrone > 0 && epsDrone < 1) || !(epsSatellite > 0 && epsSatellite < 1))
            throw new ConfigException(
                    "eps_drone and eps_satellite must lie in (0, 1): the Jaccard distance is at most 1");
        if (!labels.equals("clusters") && !labels.equals("true"))
            throw new ConfigException("labels '" + labels + "' must be clusters or true");
        if (!(cropPad >= 0)) throw new ConfigException("crop_pad " + cropPad + " must be >= 0");
        if (!klForm.equals("reference") && !klForm.equals("per_row"))
            throw new ConfigException("kl_form '" + klForm + "' must be reference or per_row");
        if (!(lr > 0)) throw new ConfigException("lr " + lr + " must be > 0");
        return this;
    }
}
