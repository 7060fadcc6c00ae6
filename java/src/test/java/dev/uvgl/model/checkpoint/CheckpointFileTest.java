package dev.uvgl.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointFileTest {
    static final ConvNeXtConfig CFG = new ConvNeXtConfig("test", new int[] {1, 1, 1, 1}, new int[] {8, 8, 16, 16});
    @TempDir Path dir;

    Checkpoint sample() throws IOException {
        ConvNeXt m = new ConvNeXt(CFG, CpuBackend.INSTANCE, DType.F32, 5);
        var json = new ObjectMapper();
        Map<String, HostArray> memories = Map.of("drone",
                new HostArray(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        Map<String, HostArray> momentum = Map.of("norm.weight", new HostArray(new int[] {16}, new float[16]));
        Map<String, Map<String, HostArray>> sections = new LinkedHashMap<>();
        sections.put(Checkpoint.MODEL, ConvNeXtWeights.export(m));
        sections.put(Checkpoint.OPTIMIZER, momentum);
        sections.put(Checkpoint.MEMORIES, memories);
        return new Checkpoint(3, 1200, json.readTree("{\"size\": 64, \"lr\": 0.00035}"),
                json.readTree("{\"seed\": 9, \"draws\": 123}"),
                sections, Map.of("drone", new long[] {0, -1, 4}, "satellite", new long[] {}));
    }

    @Test void everySectionRoundTrips() throws IOException {
        Checkpoint c = sample();
        Path f = dir.resolve("c.ckpt");
        CheckpointFile.write(f, c);
        Checkpoint r = CheckpointFile.read(f);
        assertEquals(3, r.epoch());
        assertEquals(1200, r.step());
        assertEquals(c.config(), r.config());
        assertEquals(c.rng(), r.rng());
        assertEquals(c.sections().keySet(), r.sections().keySet());
        c.sections().forEach((s, m) -> m.forEach((k, v) -> {
            assertArrayEquals(v.data(), r.sections().get(s).get(k).data(), s + "/" + k);
            assertArrayEquals(v.shape(), r.sections().get(s).get(k).shape(), s + "/" + k);
        }));
        assertArrayEquals(new long[] {0, -1, 4}, r.labels().get("drone"));
        assertArrayEquals(new long[] {}, r.labels().get("satellite"));
        assertTrue(CheckpointFile.isCheckpoint(f));
        assertEquals(0, Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).count(), "no temp file left");
    }

    @Test void aCheckpointWithoutLaterSectionsStillLoadsAndTheModelComesBack() throws IOException {
        ConvNeXt m = new ConvNeXt(CFG, CpuBackend.INSTANCE, DType.F32, 11);
        Path f = dir.resolve("w.ckpt");
        CheckpointFile.write(f,
                Checkpoint.ofWeights(ConvNeXtWeights.export(m), new ObjectMapper().readTree("{\"size\": 96}")));
        Checkpoint r = CheckpointFile.read(f);
        assertFalse(r.section(Checkpoint.MEMORIES).isPresent());
        assertTrue(r.labels().isEmpty());
        var loaded = ModelFiles.load(f, CpuBackend.INSTANCE, n -> {});
        assertEquals(CFG, loaded.model().config());
        assertEquals(96, loaded.trainingSize().getAsInt());
        m.namedParameters().forEach((k, p) -> assertArrayEquals(p.value().toFloatArray(),
                loaded.model().namedParameters().get(k).value().toFloatArray(), k));
    }

    @Test void truncationAtAnyPointIsReportedAsTruncated() throws IOException {
        Path f = dir.resolve("c.ckpt");
        CheckpointFile.write(f, sample());
        byte[] whole = Files.readAllBytes(f);
        for (int len : new int[] {8, 30, whole.length / 2, whole.length - 5, whole.length - 1}) {
            Path cut = dir.resolve("cut.ckpt");
            Files.write(cut, Arrays.copyOf(whole, len));
            var e = assertThrows(WeightFileException.class, () -> CheckpointFile.read(cut), "length " + len);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test void aFlippedByteAnywhereIsACorruptionError() throws IOException {
        Path f = dir.resolve("c.ckpt");
        CheckpointFile.write(f, sample());
        byte[] whole = Files.readAllBytes(f);
        for (int at : new int[] {9, 40, whole.length / 2, whole.length - 20}) {
            byte[] bad = whole.clone();
            bad[at] ^= 0x10;
            Path p = dir.resolve("bad.ckpt");
            Files.write(p, bad);
            var e = assertThrows(WeightFileException.class, () -> CheckpointFile.read(p), "byte " + at);
            assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test void aFileThatIsNeitherIsRejectedByModelFiles() throws IOException {
        Path p = dir.resolve("x.bin");
        Files.writeString(p, "hello, not weights");
        var e = assertThrows(WeightFileException.class, () -> ModelFiles.load(p, CpuBackend.INSTANCE, n -> {}));
        assertTrue(e.getMessage().contains("neither"), e.getMessage());
        assertThrows(WeightFileException.class,
                () -> ModelFiles.load(dir.resolve("missing.ckpt"), CpuBackend.INSTANCE, n -> {}));
    }
}
