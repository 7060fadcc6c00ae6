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
 * bench/gpu-validate.sh on the emulated device at small sizes: every command line it gives the engine parses and
 * runs, so the first call on a lent GPU does not fail on a typo. The sanitizer sections skip (no GPU) and, without
 * torch in CI, so does the PyTorch one. train-cuda (the tiny run on the device beside the CPU's) is left to
 * TrainOnEmuTest, which runs the same comparison on the emulated device; its comparison script is checked below.
 */
class GpuValidateScriptTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final List<String> RUN = List.of("selftest", "world", "dmnil-epoch", "tiny-world", "train-cpu",
            "memcheck-selftest", "initcheck-steps", "bench-kernels", "torch-matmul", "train-step-bf16", "train-step-fp32",
            "bench-cluster");
    @TempDir Path out;

    @Test void theScriptRunsEverySectionOnTheEmulatedDevice() throws Exception {
        Path script = REPO.resolve("bench/gpu-validate.sh");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        EngineProcess.Result r = EngineProcess.run(List.of("bash", script.toString()),
                Map.of("UVGL_DEVICE", "emu", "UVGL_SCALE", "small", "OUT", out.toString(), "SECTIONS",
                        String.join(" ", RUN), "ENGINE_CMD", String.join(" ", EngineProcess.command())), REPO, 20);
        String report = Files.exists(out.resolve("gpu-validate.md")) ? Files.readString(out.resolve("gpu-validate.md"))
                : "(no report)";
        assertEquals(0, r.code(), r.output() + "\n" + report);
        for (String section : RUN) {
            boolean skips = section.contains("check-") || section.equals("torch-matmul");
            assertTrue(report.contains("## " + section + ": " + (skips ? "" : "PASS")), section + ":\n" + report);
        }
        assertTrue(report.contains("## memcheck-selftest: SKIPPED: the emulated device is not a GPU"), report);
        assertTrue(report.matches("(?s).*epoch 0 steps done; device memory: \\d+ live blocks, .* MB live \\(peak .*"
                + "; live after steps 2..3: .* MB \\(flat\\).*"), report);
        assertFalse(report.contains(": FAIL"), report);
        // The last stdout lines are the table, one row per section, then where the report and the logs are.
        List<String> tail = r.output().strip().lines().toList();
        assertTrue(tail.get(tail.size() - 1).startsWith("report: " + out.resolve("gpu-validate.md")), r.output());
        assertTrue(tail.get(tail.size() - 2).matches("bench-cluster +\\d+s  PASS"), r.output());
        assertTrue(Files.size(out.resolve("gpu-validate-logs.tar.gz")) > 0);
        try (var files = Files.list(out)) {
            assertEquals(3, files.count(), "the report, the log archive and the speed summary come back from $OUT");
        }
        String speed = Files.readString(out.resolve("gpu-speed.json"));
        assertTrue(speed.matches("(?s).*\"engine_bf16\": [0-9.]+,.*\"engine_fp32\": [0-9.]+,.*"), speed);
    }

    /** The train-cuda section's comparison: equal runs pass; a loss term off by more than the bound fails, named. */
    @Test void theRunComparisonFailsOnALossTermOutsideItsBound(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.jsonl"), b = dir.resolve("b.jsonl");
        Files.writeString(a, "{\"epoch\":-1}\n{\"epoch\":0,\"clusters\":3,\"outliers\":1,\"loss\":{\"total\":2.0,"
                + "\"kl\":0.5}}\n");
        Files.writeString(b, "{\"epoch\":-1}\n{\"epoch\":0,\"clusters\":3,\"outliers\":1,\"loss\":{\"total\":2.0001,"
                + "\"kl\":0.5}}\n");
        EngineProcess.Result same = compare(a, a, "1e-4"), near = compare(a, b, "1e-4"), far = compare(a, b, "1e-5");
        assertEquals(0, same.code(), same.output());
        assertEquals(0, near.code(), near.output());
        assertEquals(1, far.code(), far.output());
        assertTrue(far.output().contains("FAIL line 2 (epoch 0) total: 2.0 vs 2.0001 (relative 5e-05 > 1e-05)"),
                far.output());
    }

    static EngineProcess.Result compare(Path reference, Path other, String bound) throws Exception {
        return EngineProcess.run(List.of("python3", REPO.resolve("bench/compare_train_runs.py").toString(),
                reference.toString(), other.toString(), "--bound", bound), Map.of(), REPO, 1);
    }
}
