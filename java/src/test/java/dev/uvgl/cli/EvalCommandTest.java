package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.tensor.DType;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `eval` of an untrained atto network (made in code) on a small synthetic world, both directions. */
class EvalCommandTest {
    @TempDir static Path dir;
    static Path world, weights;

    @BeforeAll static void makeWorldAndWeights() throws Exception {
        world = dir.resolve("world");
        CliRun synth = CliRun.of("synth", "--out", world.toString(), "--places", "6", "--drones-per-place", "8",
                "--size", "64", "--seed", "3");
        assertEquals(0, synth.code(), synth.err());
        weights = dir.resolve("atto.safetensors");
        ConvNeXtWeights.save(new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 1), weights);
    }

    @Test void bothDirectionsAsJson() throws Exception {
        CliRun r = CliRun.of("eval", "--data", world.toString(), "--checkpoint", weights.toString(),
                "--size", "64", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        String text = j.toString();
        assertTrue(text.contains("drone->satellite") && text.contains("satellite->drone"), text);
        assertTrue(text.contains("standard"), text);
    }

    @Test void tableNamesTheProtocol() {
        CliRun r = CliRun.of("eval", "--data", world.toString(), "--checkpoint", weights.toString(), "--size", "64",
                "--direction", "d2s", "--protocol", "reference");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reference"), r.out());
        assertTrue(r.out().contains("drone->satellite") && !r.out().contains("satellite->drone"), r.out());
    }

    @Test void badInputIsOneLineAndExit2() throws Exception {
        CliRun missing = CliRun.of("eval", "--data", dir.resolve("nope").toString(),
                "--checkpoint", weights.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun layout = CliRun.of("eval", "--data", empty.toString(), "--checkpoint", weights.toString());
        assertEquals(2, layout.code(), layout.err());
        assertEquals(1, layout.err().strip().lines().count(), layout.err());
        CliRun dirn = CliRun.of("eval", "--data", world.toString(), "--checkpoint", weights.toString(),
                "--direction", "up");
        assertEquals(2, dirn.code());
    }
}
