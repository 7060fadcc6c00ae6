package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.testing.CliRun;
import dev.uvgl.testing.EngineProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One whole `train --device emu` run on a tiny world at 32 px, every phase of dmnil.md (clustering with the
 * device kNN, memories, intra-view, both cross-view parities, association, shared memories) in 512 MiB of
 * emulated memory, against the same run on the CPU: the same clusters every epoch and every loss term within
 * BOUND (relative). Two epochs hold every phase (hm = ht = 0: neighbour terms from epoch 0, the even parity
 * with the regulariser; cmlabel = 1: association, shared memories and the odd parity in epoch 1), one step
 * each: the emulator pays per launch, and a step is about 2,000 launches. The runs are in their own JVMs:
 * the emulated device is process-wide.
 */
class TrainOnEmuTest {
    /** Float32 sums in another order on each side, through the steps and both clusterings (measured: 1.4e-6). */
    static final double BOUND = 1e-4;
    static final String[] TINY = {"--model", "atto", "--size", "32", "--epochs", "2", "--set", "iters=1", "--set",
            "batch_size=4",
            "--set", "satellite_copies=8", "--set", "hm=0", "--set", "ht=0", "--set", "cmlabel=1", "--set", "k1=10",
                    "--set", "k2=3",
            "--set", "extract_batch=64", "--threads", "2"};
    @TempDir static Path dir;
    static Path world;

    @BeforeAll static void world() {
        world = dir.resolve("world");
        CliRun r = CliRun.of("synth", "--out", world.toString(), "--places", "3", "--drones-per-place", "8", "--size",
                "32", "--seed", "5");
        assertEquals(0, r.code(), r.err());
    }

    static EngineProcess.Result train(String device, Path run, String emuMemory, String... extra) throws Exception {
        List<String> cmd = EngineProcess.command();
        cmd.addAll(List.of("train", "--data", world.toString(), "--out", run.toString(), "--device", device,
                "--emu-memory", emuMemory));
        cmd.addAll(Arrays.asList(TINY));
        cmd.addAll(Arrays.asList(extra));
        return EngineProcess.run(cmd, Map.of(), null, 20);
    }

    static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) out.add(new ObjectMapper().readTree(l));
        return out;
    }

    @Test void everyPhaseOnTheEmulatedDeviceMatchesTheCpuRun() throws Exception {
        Path cpu = dir.resolve("cpu"), emu = dir.resolve("emu");
        EngineProcess.Result c = train("cpu", cpu, "512M"), e = train("emu", emu, "512M");
        assertEquals(0, c.code(), c.output());
        assertEquals(0, e.code(), e.output());
        assertTrue(e.output().contains("backend cuda on emu"), e.output());
        List<JsonNode> mc = metrics(cpu), me = metrics(emu);
        assertEquals(3, me.size());
        JsonNode e0 = me.get(1).get("loss"), e1 = me.get(2).get("loss");
        assertTrue(e0.has("cm_drone") && e0.has("dhml_satellite") && e0.has("intra_drone")
                && e0.has("cross_sat_to_drone") && e0.has("kl"), e0.toString());
        assertTrue(e1.has("shared_drone") && e1.has("cross_drone_to_sat") && me.get(2).has("association_labelled"),
                me.get(2).toString());
        double worst = 0;
        for (int i = 1; i < mc.size(); i++) {
            assertEquals(mc.get(i).get("clusters"), me.get(i).get("clusters"), "clusters of epoch " + (i - 1));
            assertEquals(mc.get(i).get("outliers"), me.get(i).get("outliers"), "outliers of epoch " + (i - 1));
            JsonNode lc = mc.get(i).get("loss"), le = me.get(i).get("loss");
            assertEquals(names(lc), names(le), "terms of epoch " + (i - 1));
            for (Iterator<String> it = lc.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                double a = lc.get(k).asDouble(), b = le.get(k).asDouble(), rel = Math.abs(a - b) / Math.max(Math.abs(a),
                        1e-3);
                worst = Math.max(worst, rel);
                assertTrue(rel <= BOUND, "epoch " + (i - 1) + " " + k + ": cpu " + a + ", emu " + b + " (relative "
                        + rel + " > " + BOUND + ")");
            }
        }
        System.out.printf("train --device emu vs cpu: worst relative loss-term difference %.3g (bound %.0e)%n", worst,
                BOUND);
        assertTrue(e.output().contains("epoch 1 steps done; device memory: "), e.output());
    }

    @Test void runningOutOfDeviceMemoryNamesTheAllocationTheOptionAndTheLastCheckpoint() throws Exception {
        // Extraction in batches of 8 fits in 48 MiB beside the weights; a step's gradients and momentum buffers do not.
        EngineProcess.Result r = train("emu", dir.resolve("oom"), "48M", "--set", "extract_batch=8");
        assertEquals(1, r.code(), r.output());
        String line = r.output().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line)");
        assertTrue(line.contains("out of emu memory allocating") && line.matches(".*: \\d+ bytes free of 50331648; .*"),
                line);
        assertTrue(line.contains("during step 0 of epoch 0") && line.contains("--set batch_size= (now 4)"), line);
        assertTrue(line.contains("last.ckpt") && line.contains("--resume"), line);
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
