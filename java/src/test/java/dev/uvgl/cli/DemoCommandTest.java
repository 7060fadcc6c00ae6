package dev.uvgl.cli;

import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job at its smallest: world, training, evaluation, located photos and pictures under one folder. */
class DemoCommandTest {
    @TempDir Path dir;

    @Test void quickDemoWritesEverythingUnderOneRunFolder() {
        Path run = dir.resolve("demo");
        // Passed relative to the working directory, as the default runs/demo-<time> is: a path printed or looked up
        // twice relative (root/root/...) loses the located photos' true positions.
        Path relative = Path.of("").toAbsolutePath().relativize(run);
        CliRun r = CliRun.of("demo", "--out", relative.toString(), "--quick", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("drone->satellite") && r.out().contains("satellite->drone"), r.out());
        assertTrue(r.out().contains("estimate lat") && r.out().contains(" m\n") && r.out().contains("lon "), r.out());
        assertTrue(r.out().contains("\ntest/query_drone/") && !r.out().contains("world/test/query_drone"), r.out());
        assertTrue(r.out().contains("everything is in " + run.toAbsolutePath().normalize()), r.out());
        for (String f : new String[] {"world/gps.csv", "train/metrics.jsonl", "train/config.json",
                "train/checkpoints/best.ckpt",
                "train/plots/retrieval.png", "train/plots/queries.png", "train/plots/purity.png"})
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " missing");
        CliRun again = CliRun.of("demo", "--out", run.toString(), "--quick");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a world"), again.err());
    }
}
