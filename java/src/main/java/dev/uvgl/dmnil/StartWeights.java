package dev.uvgl.dmnil;

import dev.uvgl.data.synth.WorldInfo;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.weights.BundledWeights;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.model.weights.WeightsCard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The weights a run starts from (`--weights`): `none` (random init from the seed), a bundled name
 * (`aerial`), or a file. Weights with a card must be used as they were made: the bundled ones for their
 * model and image size, and never on a world built from the map they were pretrained on.
 */
public final class StartWeights {
    private StartWeights() {}

    /**
     * What the weights are loaded for: the run's model name, image
     * size, initialisation seed, and the option that named them.
     */
    public record Target(String model, int size, long seed, String option) {}

    /** Loads `spec` into the model; returns a short description for the log. Bad input is a WeightFileException. */
    public static String apply(String spec, ConvNeXt model, DmnilConfig cfg, Path world,
            Consumer<String> notes) throws IOException {
        return apply(spec, model, new Target(cfg.model, cfg.size, cfg.seed, "--weights "), world, notes);
    }

    /** As above for any run (`pretrain --set init=` too); `world` may be null when no world is evaluated. */
    public static String apply(String spec, ConvNeXt model, Target cfg, Path world,
            Consumer<String> notes) throws IOException {
        if (spec == null || spec.equals(BundledWeights.NONE)) return "random initialisation (seed " + cfg.seed() + ")";
        Optional<BundledWeights.Loaded> bundled = BundledWeights.load(spec);
        if (bundled.isPresent()) {
            WeightsCard card = bundled.get().card();
            if (!card.model().equals(cfg.model()) || card.size() != cfg.size())
                throw new WeightFileException(cfg.option() + spec + " was made for ConvNeXt-" + card.model() + " at "
                        + card.size() + " px; this run is "
                        + cfg.model() + " at " + cfg.size() + " px: pass --model " + card.model() + " --size "
                        + card.size() + " (or " + cfg.option() + BundledWeights.NONE + ")");
            checkWorld(card, world, cfg.option() + spec);
            ConvNeXtWeights.load(model, ConvNeXtWeights.toEngineNames(bundled.get().tensors(),
                    "bundled weights '" + spec + "'", notes), spec);
            return "the bundled '" + spec + "' weights (" + card.all().path("made_by").asText("?") + ", source seed "
                    + card.sourceSeed() + ")";
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file))
            throw new WeightFileException(cfg.option() + spec
                    + " is neither a file nor a bundled name; pass a .safetensors file, "
                    + BundledWeights.AERIAL + " or " + BundledWeights.NONE);
        Optional<WeightsCard> card = WeightsCard.readBeside(file);
        if (card.isPresent()) {
            if (!card.get().model().equals(cfg.model()))
                throw new WeightFileException(file + " was made for ConvNeXt-" + card.get().model() + " (its card "
                        + WeightsCard.besides(file)
                        + "); pass --model " + card.get().model());
            checkWorld(card.get(), world, file.toString());
        }
        ConvNeXtWeights.loadInto(model, file, notes);
        return file.toString();
    }

    /** A world made from the weights' own source map would score the pretraining, not the training. */
    private static void checkWorld(WeightsCard card, Path world, String what) throws IOException {
        if (world == null) return;
        Optional<WorldInfo> info = WorldInfo.read(world);
        if (info.isPresent() && info.get().seed() == card.sourceSeed())
            throw new WeightFileException(what + " was pretrained on the map of seed " + card.sourceSeed()
                    + ", the map of " + world
                    + "; train and evaluate on a world of another seed (synth --seed)");
    }
}
