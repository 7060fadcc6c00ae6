package dev.uvgl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainStepBenchCommandTest {
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            int code = Main.run(args);
            return new String[] {"" + code, o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test void runsAStepAndReportsImagesPerSecondWithAProfile() {
        String[] r = run("bench", "train-step", "--model", "atto", "--size", "32", "--batch", "2", "--steps", "1",
                "--warmup", "0", "--profile");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("img/s") && r[1].contains("matmul") && r[1].contains("conv2dBackwardWeight"), r[1]);
    }

    @Test void anUnknownModelIsAUsageError() {
        String[] r = run("bench", "train-step", "--model", "huge");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown ConvNeXt size 'huge'"), r[2]);
    }

    @Test void runsOnTheEmulatedDeviceInBf16BesidePyTorchAndCountsHostSyncs(@TempDir Path dir) throws Exception {
        // A stand-in for bench/torch_step.py: shows the arguments it was given and reports a rate.
        Path stub = dir.resolve("torch_stub.py");
        Files.writeString(stub, "import sys\nprint('args ' + ' '.join(sys.argv[1:]))\nprint('stub: 7.0 img/s')\n");
        String[] r = run("bench", "train-step", "--device", "emu", "--emu-memory", "512M", "--precision", "bf16",
                "--model", "atto", "--size", "32",
                "--batch", "1", "--steps", "1", "--warmup", "0", "--torch", stub.toString(), "--python", "python3");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("engine  cuda on emu atto 32px batch 1, bf16:")
                && r[1].matches("(?s).*device: 1\\.0 host syncs per step.*"), r[1]);
        assertTrue(r[1].contains("--device cpu --precision fp32") && r[1].contains("pytorch cpu eager FP32 7.0 img/s"),
                r[1]);
    }

    @Test void bf16OnTheCpuIsAUsageError() {
        String[] r = run("bench", "train-step", "--device", "cpu", "--precision", "bf16");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--precision bf16 needs --device cuda"), r[2]);
    }
}
