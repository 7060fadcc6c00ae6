package dev.uvgl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {
    @TempDir Path tmp;

    private static int run(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return Main.run(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test void writesAWorldWithPreviewAndRejectsBadOptionsInOneLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = tmp.resolve("world");
        assertEquals(0,
                run(err, "synth", "--out", out.toString(), "--places", "3", "--drones-per-place", "8", "--size", "40",
                "--preview", tmp.resolve("grid.png").toString()));
        assertTrue(Files.isRegularFile(out.resolve("gps.csv")));
        assertTrue(Files.size(tmp.resolve("grid.png")) > 0);
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        assertEquals(2, run(bad, "synth", "--out", tmp.resolve("w2").toString(), "--drones-per-place", "60"));
        String msg = bad.toString().trim();
        assertTrue(msg.startsWith("error: --drones-per-place") && !msg.contains("\n"), msg);
        ByteArrayOutputStream exists = new ByteArrayOutputStream();
        assertEquals(2, run(exists, "synth", "--out", out.toString(), "--places", "3"));
        assertTrue(exists.toString().contains("not empty"), exists.toString());
    }
}
