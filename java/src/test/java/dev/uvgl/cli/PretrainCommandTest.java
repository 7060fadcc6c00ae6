package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.SafeTensors;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `pretrain` at CI scale: tiny source and probe worlds, a few steps; outputs, resume equality and the refusals. */
class PretrainCommandTest {
    @TempDir static Path dir;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] TINY = {"--set", "source_places=4", "--set", "source_drones=8",
            "--set", "source_image_size=64", "--set", "probe_places=3",
            "--set", "size=32", "--set", "steps=4", "--set", "probe_every=2", "--set", "warmup_steps=1",
            "--set", "augment_ramp_steps=2",
            "--set", "batch_places=2", "--set", "views_per_place=2", "--set", "batch_tiles=2",
            "--set", "extract_batch=16", "--threads", "2"};

    static CliRun pretrain(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--out", out.toString(), "--device", "cpu"));
        a.addAll(Arrays.asList(TINY));
        a.addAll(Arrays.asList(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) out.add(JSON.readTree(l));
        return out;
    }

    @Test void writesTimmWeightsACardAndAProbeCurveAndResumesExactly() throws Exception {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        CliRun a = pretrain(straight);
        assertEquals(0, a.code(), a.err());
        List<JsonNode> m = metrics(straight);
        assertEquals(List.of(0L, 2L, 4L), m.stream().map(n -> n.get("step").asLong()).toList());
        assertTrue(m.get(0).has("probe") && !m.get(0).has("loss"), "step 0 is the untrained probe");
        for (JsonNode n : m.subList(1, 3)) {
            assertTrue(n.get("loss").has("drone_places") && n.get("loss").has("tiles")
                    && n.get("images_per_s").asDouble() > 0, n.toString());
            assertTrue(n.get("probe").get("d2s_r1").isNumber() && n.get("probe").has("drone_purity"), n.toString());
        }
        assertEquals(0.5, m.get(1).get("augment_strength").asDouble(), 1e-12,
                "the augmentations reach augment_max (0.5) at augment_ramp_steps");
        Map<String, HostArray> w = SafeTensors.read(straight.resolve("weights.safetensors")).tensors();
        assertTrue(w.containsKey("stem.0.weight") && w.containsKey("stages.0.blocks.0.conv_dw.weight")
                && w.containsKey("head.norm.weight"), "timm names");
        Map<String, HostArray> h = SafeTensors.read(straight.resolve("weights-f16.safetensors")).tensors();
        assertEquals(w.keySet(), h.keySet());
        JsonNode card = JSON.readTree(Files.readString(straight.resolve("weights.json")));
        assertEquals("atto", card.get("model").asText());
        assertEquals(32, card.get("size").asInt());
        assertEquals(9001, card.get("source_seed").asLong());
        assertEquals(4, card.get("steps").asLong());
        assertTrue(card.get("command").asText().startsWith("java -jar engine.jar pretrain --out"),
                card.get("command").asText());
        assertTrue(card.has("commit") && card.get("probe").get("curve").size() == 3, card.toString());
        assertTrue(Files.exists(straight.resolve("weights-f16.json")), "the half-precision file has its card too");

        CliRun first = pretrain(split, "--until", "2");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped after step 2 of 4")
                && !Files.exists(split.resolve("weights.safetensors")), first.out());
        CliRun rest = CliRun.of("pretrain", "--out", split.toString(), "--resume", "--device", "cpu", "--threads", "2");
        assertEquals(0, rest.code(), rest.err());
        List<JsonNode> ma = metrics(straight), mb = metrics(split);
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            assertEquals(ma.get(i).get("loss"), mb.get(i).get("loss"), "step " + ma.get(i).get("step"));
            assertEquals(ma.get(i).get("probe").get("d2s_r1"), mb.get(i).get("probe").get("d2s_r1"),
                    "step " + ma.get(i).get("step"));
        }
        Map<String, HostArray> wb = SafeTensors.read(split.resolve("weights.safetensors")).tensors();
        for (String k : w.keySet()) assertArrayEquals(w.get(k).data(), wb.get(k).data(), k);
    }

    @Test void theTrainedWeightsLoadIntoTrainAndEval() throws Exception {
        Path run = dir.resolve("forTrain");
        assertEquals(0, pretrain(run, "--set", "steps=2").code());
        Path world = run.resolve("probe");
        CliRun ev = CliRun.of("eval", "--data", world.toString(),
                "--checkpoint", run.resolve("weights-f16.safetensors").toString(), "--size", "32", "--json");
        assertEquals(0, ev.code(), ev.err());
        // The card beside the weights says they were learnt on seed 9001: a world of that seed is refused.
        Path same = dir.resolve("sameSeed");
        assertEquals(0, CliRun.of("synth", "--out", same.toString(), "--places", "3", "--drones-per-place", "8",
                "--size", "64", "--seed", "9001").code());
        CliRun t = CliRun.of("train", "--data", same.toString(), "--out", dir.resolve("t").toString(),
                "--model", "atto", "--size", "32",
                "--weights", run.resolve("weights.safetensors").toString(), "--epochs", "0");
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("pretrained on the map of seed 9001") && t.err().contains("synth --seed"), t.err());
    }

    @Test void continuesFromEarlierWeightsOfTheSameSourceMapAndRefusesOthers() throws Exception {
        Path first = dir.resolve("init1"), next = dir.resolve("init2");
        assertEquals(0, pretrain(first, "--set", "steps=2").code());
        Path weights = first.resolve("weights.safetensors");
        CliRun r = pretrain(next, "--set", "steps=2", "--set", "init=" + weights);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("pretrain: starting from " + weights) && r.err().contains("(2 steps)"), r.err());
        // The continued run's untrained probe is the first run's last: the same network on the same probe world.
        var last = (ObjectNode) metrics(first).get(1).get("probe").deepCopy();
        var start = (ObjectNode) metrics(next).get(0).get("probe").deepCopy();
        last.remove("seconds");
        start.remove("seconds");
        assertEquals(last, start);
        JsonNode card = JSON.readTree(Files.readString(next.resolve("weights.json")));
        assertEquals(2, card.get("steps").asLong());
        assertEquals(2, card.get("init_steps").asLong());
        assertEquals(4, card.get("steps_total").asLong());
        assertEquals(weights.toString(), card.get("init").asText());

        CliRun otherMap = pretrain(dir.resolve("init3"), "--set", "init=" + weights, "--set", "source_seed=9002");
        assertEquals(2, otherMap.code());
        assertTrue(otherMap.err().contains("was pretrained on source seed 9001, this run on 9002")
                && !otherMap.err().contains("Exception"), otherMap.err());
        CliRun otherSize = pretrain(dir.resolve("init4"), "--set", "init=aerial");
        assertEquals(2, otherSize.code());
        assertTrue(otherSize.err()
                .contains("init aerial was made for ConvNeXt-atto at 64 px; this run is atto at 32 px")
                && !Files.exists(dir.resolve("init4").resolve("source")),
                "refused before generating anything: " + otherSize.err());
    }

    @Test void refusesAnEvaluatedSeedAsSourceAndOptionsAResumeWouldIgnore() throws Exception {
        CliRun same = pretrain(dir.resolve("s1"), "--set", "probe_seed=9001");
        assertEquals(2, same.code());
        assertTrue(same.err().contains("source_seed 9001 equals probe_seed") && !same.err().contains("Exception"),
                same.err());
        CliRun demo = pretrain(dir.resolve("s2"), "--set", "source_seed=1652");
        assertEquals(2, demo.code());
        assertTrue(demo.err().contains("source_seed 1652 is the map of the default world"), demo.err());
        assertFalse(Files.exists(dir.resolve("s2").resolve("source")), "refused before generating anything");
        CliRun never = CliRun.of("pretrain", "--out", dir.resolve("never").toString(), "--resume");
        assertEquals(2, never.code());
        assertTrue(never.err().contains("--resume") && never.err().contains("does not exist"), never.err());
        Path run = dir.resolve("s3");
        assertEquals(0, pretrain(run, "--until", "0").code());
        CliRun changed = CliRun.of("pretrain", "--out", run.toString(), "--resume", "--set", "lr=1");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("cannot change it"), changed.err());
        CliRun again = pretrain(run);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a pretraining run"), again.err());
    }

    @Test void aNonFiniteLossStopsWithTheStepAndTheLastGoodCheckpoint() {
        CliRun r = pretrain(dir.resolve("nan"), "--set", "tau=1e-300");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("loss is ") && r.err().contains("before 2") && r.err().contains("last.ckpt")
                && r.err().contains("--resume"), r.err());
    }
}
