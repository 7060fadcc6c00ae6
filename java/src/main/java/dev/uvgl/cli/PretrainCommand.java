package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.DatasetError;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.pretrain.PretrainCheckpointFiles;
import dev.uvgl.pretrain.PretrainConfig;
import dev.uvgl.pretrain.PretrainJob;
import dev.uvgl.pretrain.PretrainingStopped;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `pretrain`: the engine's own aerial backbone, learnt without drone-satellite pairs on a source map of its own seed.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain a ConvNeXt on a synthetic source world (its own seed) "
                        + "without any label that ties a drone photo to a tile:",
                "each source place's drone views form one class, each source tile another "
                        + "(under drone-like views of it).",
                "Writes RUN/weights.safetensors (timm layout), RUN/weights-f16.safetensors, "
                        + "RUN/weights.json (model, size, seeds,",
                "command, commit, probe figures), RUN/metrics.jsonl and RUN/checkpoints/last.ckpt. "
                        + "Every constant is a --set key."},
        footer = {"", "Examples:", "  java -jar engine.jar pretrain --out runs/aerial",
                "  java -jar engine.jar pretrain --out runs/short --set steps=1000 --set source_places=200",
                "  java -jar engine.jar pretrain --out runs/aerial --resume"})
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "RUN",
            description = "run folder (the source and probe worlds are generated into it)")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON object of pretraining keys overriding the defaults")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one key (repeatable), e.g. --set steps=2000; the README lists them")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume",
            description = "continue RUN from its last probe (the same result as an uninterrupted run on the CPU)")
    boolean resume;

    @Mixin DeviceOptions devices = new DeviceOptions();

    @Option(names = "--threads", paramLabel = "N", description = "image decoding threads (default: the CPU count)")
    Integer threads;

    @Option(names = "--until", paramLabel = "STEP",
            description = "stop after this step (rounded up to a probe), leaving a checkpoint that --resume continues")
    Long until;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        Path last = PretrainCheckpointFiles.last(out);
        PretrainConfig cfg;
        try {
            if (resume) {
                if (!Files.exists(last))
                    throw new UserError("--resume: " + last + " does not exist; start the run without --resume");
                if (config != null || !sets.isEmpty())
                    throw new UserError("--resume continues " + out
                            + " with the config saved in its checkpoint, so --config and --set cannot change it; "
                            + "start a new run folder with --out instead");
                cfg = PretrainCheckpointFiles.config(last);
            } else {
                if (Files.exists(last))
                    throw new UserError(out
                            + " already holds a pretraining run; continue it with --resume or choose a new --out");
                cfg = new PretrainConfig();
                if (config != null) cfg.load(config);
                cfg.setAll(sets);
            }
            cfg.validate();
        } catch (PretrainConfig.ConfigException e) {
            throw new UserError(e.getMessage());
        } catch (WeightFileException e) {
            throw new UserError(e.getMessage());
        }
        if (until != null && until < 0) throw new UserError("--until " + until + " must be >= 0");
        Backend be = devices.backend();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        String command = "java -jar engine.jar " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        PretrainJob.Result r;
        try {
            r = PretrainJob.run(cfg, be, new PretrainJob.Setup(out, resume, n, until == null ? Long.MAX_VALUE : until,
                    command, GitCommit.describe()), ConsoleProgress.factory(), System.err::println);
        } catch (PretrainingStopped e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | DatasetError | WeightFileException e) {
            throw new UserError(e.getMessage());
        }
        var o = r.outcome();
        if (!o.finished(cfg)) {
            System.out.printf("stopped after step %d of %d (--until); "
                    + "continue with: java -jar engine.jar pretrain --out %s --resume%n", o.steps(), cfg.steps, out);
            return 0;
        }
        System.out.printf("pretrained %s at %d px for %d steps (%.0f s of steps, %.0f s this invocation)%n", cfg.model,
                cfg.size, o.steps(), o.trainSeconds(), r.wallSeconds());
        System.out.printf("probe world (seed %d), drone->satellite R@1: untrained %.2f, pretrained %.2f; "
                        + "drone purity %.3f -> %.3f%n",
                cfg.probeSeed, o.untrained().d2sR1(), o.last().d2sR1(), o.untrained().dronePurity(),
                o.last().dronePurity());
        System.out.printf("weights %s (float32), %s (float16), card %s%n", r.weights(), r.halfWeights(), r.card());
        return 0;
    }
}
