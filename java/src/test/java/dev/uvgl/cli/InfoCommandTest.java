package dev.uvgl.cli;

import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {
    private static CliRun run(String... args) { return CliRun.of(args); }

    @Test void infoNamesTheBackendAndWhyAndEveryDevice() {
        CliRun r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend: cpu ("), r.out());
        for (String dev : new String[] {"  cpu ", "  cuda ", "  emu "})
            assertTrue(r.out().contains(dev), "no line for" + dev + " in\n" + r.out());
        assertTrue(r.out().contains("OpenBLAS"), r.out());
    }

    @Test void unusableDeviceIsOneLineAndExitCode2() {
        CliRun r = run("info", "--device", "gpu0");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("use one of auto, cpu, cuda, emu"), r.err());
    }

    @Test void unknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate").code());
    }
}
