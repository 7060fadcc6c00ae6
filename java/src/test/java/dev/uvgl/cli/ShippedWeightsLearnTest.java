package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.dmnil.MetricsLog;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17's CI assertion: from the shipped `aerial` weights, the demo's DMNIL (its preset, pseudo labels, no folder
 * id in a loss) on the demo's world improves drone->satellite R@1 over the start within EPOCHS epochs (the first
 * with the shared memories included). They are the first epochs of the 8-epoch benchmark run in
 * bench/results/2026-12-02-learning.md (the CPU backend is deterministic, and nothing before an epoch depends on the
 * epoch count), which measured START -> BEST_MEASURED there; the margin asked is half that gain, so a change that
 * stops the pipeline from learning (from random weights R@1 falls) fails, and a last-digit change of OpenBLAS on
 * another CPU should not.
 */
class ShippedWeightsLearnTest {
    static final int EPOCHS = 5;
    static final double START = 39.84, BEST_MEASURED = 42.27, MARGIN = (BEST_MEASURED - START) / 2;

    @TempDir Path dir;

    @Test void aShortDmnilRunFromTheShippedWeightsBeatsItsStart() throws Exception {
        Path world = dir.resolve("world"), run = dir.resolve("run");
        CliRun synth = CliRun.of("synth", "--out", world.toString());
        assertEquals(0, synth.code(), synth.err());
        List<String> args = new ArrayList<>(List.of("train", "--data", world.toString(), "--out", run.toString(),
                "--device", "cpu"));
        args.addAll(List.of(DemoCommand.PRESET));
        args.addAll(List.of("--weights", "aerial", "--epochs", String.valueOf(EPOCHS)));
        CliRun train = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, train.code(), train.err());
        double start = Double.NaN, best = Double.NEGATIVE_INFINITY;
        for (MetricsLog.Line l : MetricsLog.read(run.resolve("metrics.jsonl"), n -> {})) {
            JsonNode json = l.json();
            double r1 = json.path("eval").path("d2s").path("r1").asDouble();
            if (l.epoch() < 0) {
                start = r1;
            } else {
                assertEquals("clusters", json.path("labels").asText(), "pseudo labels only");
                best = Math.max(best, r1);
            }
        }
        assertEquals(START, start, 0.5, "the shipped weights' start on the demo world moved: remeasure this test");
        assertTrue(best >= start + MARGIN,
                String.format("DMNIL from the shipped weights did not learn: drone->satellite"
                + " R@1 %.2f at the start, %.2f at the best of %d epochs (want +%.2f)", start, best, EPOCHS, MARGIN));
    }
}
