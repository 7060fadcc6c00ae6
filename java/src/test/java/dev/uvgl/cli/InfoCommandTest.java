package dev.uvgl.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test void infoNamesTheBackendAndWhyAndEveryDevice() {
        Run r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend: cpu ("), r.out());
        for (String dev : new String[] {"  cpu ", "  cuda ", "  emu "}) assertTrue(r.out().contains(dev), "no line for" + dev + " in\n" + r.out());
        assertTrue(r.out().contains("OpenBLAS"), r.out());
    }

    @Test void unusableDeviceIsOneLineAndExitCode2() {
        Run r = run("info", "--device", "gpu0");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("use one of auto, cpu, cuda, emu"), r.err());
    }

    @Test void unknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate").code());
    }
}
