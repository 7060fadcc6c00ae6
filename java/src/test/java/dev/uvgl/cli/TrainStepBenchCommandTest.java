package dev.uvgl.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

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
        String[] r = run("bench", "train-step", "--model", "atto", "--size", "32", "--batch", "2", "--steps", "1", "--warmup", "0", "--profile");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("img/s") && r[1].contains("matmul") && r[1].contains("conv2dBackwardWeight"), r[1]);
    }

    @Test void anUnknownModelIsAUsageError() {
        String[] r = run("bench", "train-step", "--model", "huge");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown ConvNeXt size 'huge'"), r[2]);
    }
}
