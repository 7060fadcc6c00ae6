package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.DatasetError;
import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.dmnil.DmnilConfig;
import dev.uvgl.dmnil.DmnilTrainer;
import dev.uvgl.dmnil.TrainingCheckpoint;
import dev.uvgl.dmnil.TrainingSetup;
import dev.uvgl.dmnil.TrainingStopped;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `train`: DMNIL self-supervised training (dmnil.md) on a dataset's train split; writes RUN/. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ConvNeXt with DMNIL on the unlabeled train views of DIR; evaluate after every epoch.",
                "Writes RUN/config.json (every key resolved), RUN/metrics.jsonl "
                        + "(one line per epoch, the first the untrained network),",
                "RUN/checkpoints/best.ckpt (best drone->satellite R@1) and last.ckpt. "
                        + "Every dmnil.md constant is a --set key:",
                "the README's config table lists each with its default."},
        footer = {"", "Examples:",
                "  java -jar engine.jar train --data world --model atto --size 128 --epochs 8 --out runs/atto",
                "  java -jar engine.jar train --data world --set iters=50 --set cmlabel=6 --out runs/short",
                "  java -jar engine.jar train --out runs/atto --resume"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR",
            description = "dataset root (University-1652 layout, e.g. what `synth` wrote); "
                    + "taken from the run's config on --resume")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON object of config keys overriding the defaults")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one config key (repeatable), e.g. --set iters=50")
    List<String> sets = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME",
            description = "atto | femto | pico | nano | tiny | small (default: the config's model, tiny)")
    String modelName;

    @Option(names = "--size", paramLabel = "PX",
            description = "training image size, a multiple of 32 (default: the config's, 384)")
    Integer size;

    @Option(names = "--epochs", paramLabel = "E",
            description = "epochs (default: the config's, 40); 0 writes and evaluates the initial checkpoint")
    Integer epochs;

    @Option(names = "--out", paramLabel = "RUN", description = "run folder (default: runs/train-<date-time>)")
    Path out;

    @Option(names = "--weights", paramLabel = "WEIGHTS",
            description = {"initial weights: aerial (the bundled backbone the engine pretrained without pairs,",
            "ConvNeXt-atto at 64 px), none (random init, the default), "
                    + "or a .safetensors file (original ConvNeXt, timm or torchvision names)"})
    String weights;

    @Option(names = "--labels", paramLabel = "KIND",
            description = {"clusters (DMNIL: pseudo labels, no folder id reaches a loss; the default) or",
            "true (the supervised upper bound: place folder ids, "
                    + "drone and satellite images of a place share one label from epoch 0)"})
    String labels;

    @Option(names = "--resume",
            description = "continue RUN from its last complete epoch (same result as an uninterrupted run on the CPU)")
    boolean resume;

    @Mixin DeviceOptions devices = new DeviceOptions();

    @Option(names = "--threads", paramLabel = "N", description = "image decoding threads (default: the CPU count)")
    Integer threads;

    /** The options given with --resume that would silently be ignored (the run's saved config wins), or null. */
    private String optionsAResumeCannotChange() {
        List<String> given = new ArrayList<>();
        if (config != null) given.add("--config");
        if (!sets.isEmpty()) given.add("--set");
        if (modelName != null) given.add("--model");
        if (size != null) given.add("--size");
        if (weights != null) given.add("--weights");
        if (labels != null) given.add("--labels");
        return given.isEmpty() ? null : String.join(", ", given);
    }

    @Override public Integer call() throws IOException {
        Path run = out != null ? out : Path.of("runs",
                "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path lastCkpt = run.resolve("checkpoints").resolve("last.ckpt");
        DmnilConfig cfg;
        Path dataRoot = data;
        try {
            if (resume) {
                if (!Files.exists(lastCkpt))
                    throw new UserError("--resume: " + lastCkpt + " does not exist; start the run without --resume");
                String changed = optionsAResumeCannotChange();
                if (changed != null)
                    throw new UserError("--resume continues " + run
                            + " with the config saved in its checkpoint, so " + changed
                            + " cannot change it (only --epochs can extend the run); "
                            + "start a new run folder with --out instead");
                try {
                    cfg = TrainingCheckpoint.config(lastCkpt);
                } catch (WeightFileException e) {
                    throw new UserError(e.getMessage());
                }
                Path savedData = readSavedData(run);
                if (dataRoot == null) dataRoot = savedData;
                if (epochs != null) cfg.epochs = epochs;
            } else {
                cfg = new DmnilConfig();
                if (config != null) cfg.load(config);
                if (modelName != null) cfg.model = modelName;
                if (size != null) cfg.size = size;
                if (epochs != null) cfg.epochs = epochs;
                if (labels != null) cfg.labels = labels;
                cfg.setAll(sets);
            }
            cfg.validate();
        } catch (DmnilConfig.ConfigException e) {
            throw new UserError(e.getMessage());
        }
        if (dataRoot == null)
            throw new UserError("--data is required (the dataset root, e.g. what `synth --out DIR` wrote)");
        if (!Files.isDirectory(dataRoot))
            throw new UserError("data folder " + dataRoot
                    + " does not exist; pass --data with a dataset root (make one with `synth --out DIR`)");
        GeoDataset set;
        try {
            List<GeoDataset> sets = new DatasetLoader(System.err::println).load(dataRoot, null);
            set = sets.get(0);
        } catch (DatasetError e) {
            throw new UserError(e.getMessage());
        }
        if (set.trainDrone().size() == 0 || set.trainSatellite().size() == 0)
            throw new UserError(dataRoot
                    + " has no train/drone or train/satellite images; train needs both views of the train split");
        Backend be = devices.backend();
        ConvNeXt model;
        try {
            System.err.println("train: backend " + be.name() + ", GEMM precision "
                    + TrainingSetup.applyPrecision(be, cfg.precision));
            model = TrainingSetup.model(cfg, be, resume, weights, dataRoot, System.err::println);
        } catch (IllegalArgumentException | WeightFileException e) {
            throw new UserError(e.getMessage());
        }
        Files.createDirectories(run);
        AtomicFiles.write(run.resolve("config.json"), cfg.toJsonText().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(run.resolve("data.txt"), (dataRoot.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        DmnilTrainer trainer = new DmnilTrainer(cfg, be, set, model, new DmnilTrainer.Options(run, resume, nThreads),
                ConsoleProgress.factory(), System.err::println);
        DmnilTrainer.Outcome o;
        try {
            o = trainer.run();
        } catch (TrainingStopped e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (cfg.epochs == 0)
            System.out.printf("trained 0 epochs (--epochs 0): evaluated the start, "
                            + "drone->satellite R@1 %.2f (epoch -1)%n"
                            + "run folder: %s%n  checkpoint %s%n  metrics %s%n",
                    o.untrainedR1(), run.toAbsolutePath().normalize(), o.last(), o.metrics());
        else
            System.out.printf("trained %d epochs (labels: %s); best drone->satellite R@1 %.2f at epoch %d%n"
                            + "run folder: %s%n  best checkpoint %s%n  metrics %s%n",
                    cfg.epochs, cfg.labels, o.bestR1(), o.bestEpoch(), run.toAbsolutePath().normalize(), o.best(),
                    o.metrics());
        if (!Double.isNaN(o.untrainedR1()) && cfg.epochs > 0)
            System.out.printf("  start (epoch -1): drone->satellite R@1 %.2f; best trained %+.2f points%n",
                    o.untrainedR1(), o.bestR1() - o.untrainedR1());
        return 0;
    }

    private static Path readSavedData(Path run) throws IOException {
        Path f = run.resolve("data.txt");
        return Files.exists(f) ? Path.of(Files.readString(f).trim()) : null;
    }
}
