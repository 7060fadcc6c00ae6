package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `train` at CI scale on a tiny synthetic world: every phase of dmnil.md runs (clustering, memories,
 * intra-view, both cross-view parities, association, shared memories), resume replays exactly,
 * folder names never reach a loss, and the failure cases stop with one line.
 */
class TrainCommandTest {
    @TempDir static Path dir;
    static Path world;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Small but complete: hm=1, ht=2, cmlabel=4, StepLR at 4. */
    static final String[] SMALL = {"--model", "atto", "--size", "64", "--set", "iters=2", "--set", "batch_size=8",
            "--set", "satellite_copies=8",
            "--set", "hm=1", "--set", "ht=2", "--set", "cmlabel=4", "--set", "step_size=4", "--set", "extract_batch=16",
            "--threads", "2"};

    @BeforeAll static void world() {
        world = dir.resolve("world");
        CliRun r = CliRun.of("synth", "--out", world.toString(), "--places", "6", "--drones-per-place", "8",
                "--size", "64", "--seed", "5");
        assertEquals(0, r.code(), r.err());
    }

    static CliRun train(Path data, Path out, int epochs, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", String.valueOf(epochs)));
        a.addAll(Arrays.asList(SMALL));
        a.addAll(Arrays.asList(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) out.add(JSON.readTree(l));
        return out;
    }

    @Test void everyPhaseRunsAndIsLogged() throws Exception {
        Path run = dir.resolve("phases");
        CliRun r = train(world, run, 6);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> m = metrics(run);
        assertEquals(7, m.size());
        assertEquals(-1, m.get(0).get("epoch").asInt());
        assertTrue(m.get(0).has("eval") && !m.get(0).has("loss"), "epoch -1 is the untrained evaluation only");
        assertTrue(m.get(1).get("loss").has("cm_drone") && m.get(1).get("loss").has("dhml_satellite")
                && !m.get(1).get("loss").has("intra"));
        assertTrue(m.get(2).get("loss").has("intra_drone"), "intra-view from hm = 1");
        assertTrue(m.get(3).get("loss").has("cross_sat_to_drone") && m.get(3).get("loss").has("kl"),
                "even epoch 2: sat->dro with the regulariser");
        assertTrue(m.get(4).get("loss").has("cross_drone_to_sat") && !m.get(4).get("loss").has("kl"),
                "odd epoch 3: dro->sat, main path weight 0");
        assertTrue(m.get(5).get("loss").has("shared_drone") && m.get(5).has("association_labelled"),
                "from cmlabel = 4: association and shared memories");
        assertEquals(0.001, m.get(4).get("lr").asDouble(), 1e-12);
        assertEquals(0.0001, m.get(5).get("lr").asDouble(), 1e-12);
        for (JsonNode e : m.subList(1, m.size())) {
            for (String phase : List.of("extract", "cluster", "memories", "steps", "eval"))
                assertTrue(e.get("seconds").has(phase), phase);
            assertTrue(e.get("purity").get("satellite").asDouble() > 0 && e.get("clusters").get("drone").asInt() > 0);
        }
        assertTrue(Files.exists(run.resolve("checkpoints/best.ckpt")) && Files.exists(run.resolve("config.json")));
        assertEquals(2, JSON.readTree(Files.readString(run.resolve("config.json"))).get("iters").asInt());
        double untrained = metrics(run).get(0).get("eval").get("d2s").get("r1").asDouble();
        assertTrue(r.out().contains(String.format("start (epoch -1): drone->satellite R@1 %.2f", untrained)), r.out());
    }

    @Test void resumeReplaysAnUninterruptedRun() throws Exception {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        assertEquals(0, train(world, straight, 3).code());
        assertEquals(0, train(world, split, 2).code());
        CliRun r = CliRun.of("train", "--out", split.toString(), "--resume", "--epochs", "3", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> a = metrics(straight), b = metrics(split);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get("loss"), b.get(i).get("loss"), "epoch " + (i - 1));
            assertEquals(a.get(i).get("eval"), b.get(i).get("eval"), "epoch " + (i - 1));
        }
        Map<String, HostArray> wa = weights(straight), wb = weights(split);
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).data(), wb.get(k).data(), k);
    }

    @Test void folderNamesNeverReachALoss() throws Exception {
        Path scrambled = dir.resolve("scrambled");
        copyTree(world, scrambled);
        // Renamed by a map that keeps the sorted order, so rows, sampling and memories line up (plan.md).
        for (String view : List.of("drone", "satellite")) {
            Path root = scrambled.resolve("train").resolve(view);
            List<Path> folders;
            try (Stream<Path> s = Files.list(root)) { folders = s.sorted().toList(); }
            for (int i = 0; i < folders.size(); i++) {
                Path f = folders.get(i);
                String renamed = String.format("x%03d-%s", i,
                        Integer.toHexString(f.getFileName().toString().hashCode()));
                Files.move(f, root.resolve(renamed));
                if (view.equals("satellite"))
                    try (Stream<Path> s = Files.list(root.resolve(renamed))) {
                        for (Path img : s.toList())
                            Files.move(img, img.resolveSibling(renamed
                                    + img.getFileName().toString().replaceAll("^[^.]*", "")));
                    }
            }
        }
        Path a = dir.resolve("plain"), b = dir.resolve("renamed");
        assertEquals(0, train(world, a, 2).code());
        assertEquals(0, train(scrambled, b, 2).code());
        List<JsonNode> ma = metrics(a), mb = metrics(b);
        for (int i = 1; i < ma.size(); i++)
            assertEquals(ma.get(i).get("loss"), mb.get(i).get("loss"), "epoch " + (i - 1));
    }

    @Test void aNonFiniteLossStopsWithTheStepAndTheLastGoodCheckpoint() {
        CliRun r = train(world, dir.resolve("nan"), 1, "--set", "tau=1e-300");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("loss is") && r.err().contains("step 0") && r.err().contains("last.ckpt"), r.err());
    }

    @Test void noClusterInEpochZeroNamesTheEps() {
        CliRun r = train(world, dir.resolve("nocluster"), 1, "--set", "min_samples=1000");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no cluster") && r.err().contains("at eps 0.4 (0 clusters)")
                && r.err().contains("eps_drone"), r.err());
    }

    @Test void badOptionsAreOneLineWithExit2() {
        CliRun unknown = train(world, dir.resolve("bad"), 1, "--set", "itres=3");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown config key 'itres'"), unknown.err());
        CliRun missing = CliRun.of("train", "--data", dir.resolve("nowhere").toString(),
                "--out", dir.resolve("bad2").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CliRun resume = CliRun.of("train", "--out", dir.resolve("never").toString(), "--resume");
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("--resume"), resume.err());
    }

    @Test void resumeRefusesOptionsItWouldIgnore() throws Exception {
        Path run = dir.resolve("refuse");
        assertEquals(0, train(world, run, 0).code());
        CliRun r = CliRun.of("train", "--out", run.toString(), "--resume", "--set", "lr=0.5", "--size", "64");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--set, --size cannot change it") && r.err().contains("--out"), r.err());
        assertEquals(1, metrics(run).size(), "a refused resume must not train");
    }

    @Test void epochsZeroWritesAndEvaluatesTheInitialCheckpoint() throws Exception {
        Path run = dir.resolve("zero");
        CliRun r = train(world, run, 0);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, metrics(run).size());
        CliRun ev = CliRun.of("eval", "--data", world.toString(),
                "--checkpoint", run.resolve("checkpoints/best.ckpt").toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        assertNotEquals("", ev.out());
    }

    private static Map<String, HostArray> weights(Path run) throws IOException {
        return CheckpointFile.read(run.resolve("checkpoints/last.ckpt")).section(Checkpoint.MODEL).orElseThrow();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
