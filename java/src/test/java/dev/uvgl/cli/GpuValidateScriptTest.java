package dev.uvgl.cli;

import dev.uvgl.testing.EngineProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/gpu-validate.sh on the emulated device at small sizes: every command line it gives the engine
 * parses and runs, so the first call on a lent GPU does not fail on a typo. Only compute-sanitizer (no
 * GPU) and, without torch in CI, the PyTorch steps are skipped, and the report says so.
 */
class GpuValidateScriptTest {
    @TempDir Path out;

    @Test void theScriptRunsEveryStepOnTheEmulatedDevice() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path script = repo.resolve("bench/gpu-validate.sh");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        EngineProcess.Result r = EngineProcess.run(List.of("bash", script.toString()),
                Map.of("UVGL_DEVICE", "emu", "UVGL_SCALE", "small", "OUT", out.toString(),
                        "ENGINE_CMD", String.join(" ", EngineProcess.command())), repo, 20);
        String report = Files.exists(out.resolve("gpu-validate.md")) ? Files.readString(out.resolve("gpu-validate.md"))
                : "(no report)";
        assertEquals(0, r.code(), r.output() + "\n" + report);
        for (String step : List.of("selftest", "bench kernels", "bench train-step bf16", "bench train-step fp32",
                "bench cluster",
                "synthetic world", "DMNIL epoch"))
            assertTrue(report.contains("## " + step + ": PASS"), step + " did not pass:\n" + report);
        assertTrue(report.contains("## compute-sanitizer: SKIPPED: the emulated device is not a GPU"), report);
        assertTrue(report.matches("(?s).*epoch 0 steps done; device memory: \\d+ live blocks, .* MB live \\(peak .*"),
                report);
        assertFalse(report.contains(": FAIL"), report);
    }
}
