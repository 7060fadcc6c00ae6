package dev.uvgl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's closing table reads the start, the best epoch (the run's own mark) and the last epoch off metrics.jsonl.
 */
class DemoSummaryTest {
    @TempDir Path dir;

    private static String line(int epoch, double d2s, double s2d, boolean best) {
        return "{\"epoch\":" + epoch + ",\"best\":" + best + ",\"eval\":{\"d2s\":{\"r1\":" + d2s + "},\"s2d\":{\"r1\":"
                + s2d + "}}}\n";
    }

    @Test void tableHoldsStartBestLastAndGains() throws Exception {
        Path random = dir.resolve("random.jsonl"), train = dir.resolve("train.jsonl");
        Files.writeString(random, line(-1, 2.5, 5.0, false));
        Files.writeString(train, line(-1, 10.0, 20.0, false) + line(0, 14.0, 21.0, true) + line(1, 12.0, 25.0, false));
        DemoSummary s = DemoSummary.of(random, train);
        assertEquals(0, s.bestEpoch());
        assertEquals(1, s.lastEpoch());
        String t = s.table();
        assertTrue(t.contains("random initialisation") && t.contains("2.50") && t.contains("5.00"), t);
        assertTrue(t.contains("best epoch 0") && t.contains("last epoch 1"), t);
        assertTrue(t.contains("+4.00 points") && t.contains("+1.00 points"), "best-epoch gains 14-10, 21-20: " + t);
        assertTrue(t.contains("+2.00 points") && t.contains("+5.00 points"), "last-epoch gains 12-10, 25-20: " + t);
    }

    @Test void noEpochBeatingTheStartIsSaid() throws Exception {
        Path random = dir.resolve("random.jsonl"), train = dir.resolve("train.jsonl");
        Files.writeString(random, line(-1, 2.5, 5.0, false));
        Files.writeString(train, line(-1, 10.0, 20.0, false) + line(0, 8.0, 15.0, false));
        String t = DemoSummary.of(random, train).table();
        assertTrue(t.contains("no epoch beat the start") && t.contains("-2.00 points")
                && t.contains("-5.00 points"), t);
    }
}
