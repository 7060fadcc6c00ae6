package dev.uvgl.harness;

import dev.uvgl.backend.cuda.EmuBackends;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bandwidth table's code path on the emulated device (its figures mean nothing there, and the output says so). */
class OpBandwidthBenchTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    @Test void everyOpIsTimedAgainstTheCopyAndNothingLeaks() {
        int before = emu().liveBlocks();
        OpBandwidthBench.Result r = OpBandwidthBench.run(emu(), 2048, 1);
        assertTrue(r.copyGbPerSecond() > 0 && Double.isFinite(r.copyGbPerSecond()));
        assertEquals(30, r.rows().size());
        for (OpBandwidthBench.Row row : r.rows()) {
            assertTrue(row.ms() > 0 && Double.isFinite(row.gbPerSecond()) && row.ofCopy() > 0, row.toString());
            assertTrue(row.kernels().startsWith("uvgl_"), row.toString());
        }
        assertEquals(before, emu().liveBlocks(), "the bench frees everything it made");
    }

    @Test void benchKernelsPrintsTheOpTableOnTheEmulator() {
        CliRun run = CliRun.of("bench", "kernels", "--device", "emu", "--size", "16", "--elements", "2048",
                "--reps", "1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("device-to-device copy") && run.out().contains("softmaxCrossEntropy")
                && run.out().contains("say nothing about a GPU"), run.out());
    }

    @Test void badElementsIsOneLine() {
        CliRun run = CliRun.of("bench", "kernels", "--device", "emu", "--elements", "-3");
        assertEquals(2, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("--elements -3"), run.err());
    }
}
