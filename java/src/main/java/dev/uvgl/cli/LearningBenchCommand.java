package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.dmnil.MetricsLog;
import dev.uvgl.report.LearningCurves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `bench learning`: finished training runs side by side (start, best, gain, purity) and their curves in one PNG. */
@Command(name = "learning", mixinStandardHelpOptions = true,
        description = {"Compares training runs: for each, the start (epoch -1), the best drone->satellite R@1 "
                        + "and its epoch, the gain,",
                "satellite->drone at that epoch, and drone purity at epoch 0 and at the best epoch; "
                        + "writes the R@1 and purity curves."},
        footer = {"", "Example:", "  java -jar engine.jar bench learning --run 'pretrained + DMNIL=runs/a' "
                + "--run 'true labels=runs/b' --png learning.png"})
public final class LearningBenchCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "LABEL=DIR",
            description = "a run folder (its metrics.jsonl) under a label; repeatable")
    List<String> runs;

    @Option(names = "--png", paramLabel = "FILE", description = "write the curves here")
    Path png;

    @Override public Integer call() throws IOException {
        List<LearningCurves.Run> list = new ArrayList<>();
        for (String r : runs) {
            int eq = r.indexOf('=');
            if (eq <= 0) throw new UserError("--run wants LABEL=DIR, got '" + r + "'");
            Path m = Path.of(r.substring(eq + 1)).resolve("metrics.jsonl");
            if (!Files.isRegularFile(m)) throw new UserError(m + " does not exist; pass a run folder that train wrote");
            list.add(new LearningCurves.Run(r.substring(0, eq), m));
        }
        System.out.println("| run | start R@1 | best R@1 (epoch) | gain | ratio | s2d start -> at best "
                + "| drone purity epoch 0 -> at best |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (LearningCurves.Run r : list) {
            List<MetricsLog.Line> lines = MetricsLog.read(r.metrics(), n -> {});
            JsonNode start = null, best = null, first = null;
            double bestR1 = Double.NEGATIVE_INFINITY;
            for (MetricsLog.Line l : lines) {
                double r1 = l.json().path("eval").path("d2s").path("r1").asDouble(Double.NaN);
                if (l.epoch() == -1) start = l.json();
                if (l.epoch() == 0) first = l.json();
                if (l.epoch() >= 0 && r1 > bestR1) { bestR1 = r1; best = l.json(); }
            }
            if (start == null || best == null)
                throw new UserError(r.metrics() + " has no start line or no trained epoch");
            double s = r1(start, "d2s"), b = r1(best, "d2s");
            System.out.printf("| %s | %.2f | %.2f (%d) | %+.2f | %.2fx | %.2f -> %.2f | %.3f -> %.3f |%n", r.label(), s,
                    b, best.path("epoch").asInt(), b - s, b / s,
                    r1(start, "s2d"), r1(best, "s2d"), first.path("purity").path("drone").asDouble(Double.NaN),
                    best.path("purity").path("drone").asDouble(Double.NaN));
        }
        if (png != null) {
            LearningCurves.write(list, png);
            System.out.println("curves: " + png);
        }
        return 0;
    }

    private static double r1(JsonNode line, String dir) {
        return line.path("eval").path(dir).path("r1").asDouble(Double.NaN);
    }
}
