package dev.uvgl.model.weights;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.Fixtures;
import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvNeXtWeightsTest {
    @TempDir Path dir;

    static final ConvNeXtConfig SMALL_TEST = new ConvNeXtConfig("test", new int[] {1, 1, 2, 1},
            new int[] {8, 16, 24, 32});

    static Map<String, float[]> snapshot(ConvNeXt m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> s.put(k, p.value().toFloatArray()));
        return s;
    }

    @Test void saveAndLoadRoundTripsAndInfersTheArchitecture() throws IOException {
        ConvNeXt a = new ConvNeXt(SMALL_TEST, CpuBackend.INSTANCE, DType.F32, 7);
        Path f = dir.resolve("m.safetensors");
        ConvNeXtWeights.save(a, f);
        ConvNeXt b = ConvNeXtWeights.loadModel(f, CpuBackend.INSTANCE, n -> {});
        assertEquals(SMALL_TEST, b.config());
        Map<String, float[]> sa = snapshot(a), sb = snapshot(b);
        assertEquals(sa.keySet(), sb.keySet());
        sa.forEach((k, v) -> assertArrayEquals(v, sb.get(k), k));
    }

    @Test void timmLayoutLoadsLikeTheEngineLayout() throws IOException {
        ConvNeXt a = new ConvNeXt(SMALL_TEST, CpuBackend.INSTANCE, DType.F32, 3);
        Map<String, HostArray> timm = new LinkedHashMap<>();
        ConvNeXtWeights.export(a)
                .forEach((k, v) -> timm.put(toTimm(k), k.endsWith("pwconv1.weight") ? asConv1x1(v) : v));
        timm.put("head.fc.weight", new HostArray(new int[] {2, 32}, new float[64]));
        Path f = dir.resolve("timm.safetensors");
        SafeTensors.write(f, timm, Map.of());
        List<String> notes = new ArrayList<>();
        ConvNeXt b = ConvNeXtWeights.loadModel(f, CpuBackend.INSTANCE, notes::add);
        snapshot(a).forEach((k, v) -> assertArrayEquals(v, snapshot(b).get(k), k));
        assertTrue(notes.get(0).contains("head.fc.weight"), notes.toString());
    }

    static String toTimm(String k) { return WeightLayout.timmName(k); }

    /**
     * saveTimm writes names the timm layout reads back to the same
     * engine names; float32 exactly, float16 to half precision.
     */
    @Test void timmFilesTheEngineWritesLoadBack() throws IOException {
        ConvNeXt a = new ConvNeXt(SMALL_TEST, CpuBackend.INSTANCE, DType.F32, 5);
        for (var k : a.namedParameters().keySet())
            assertEquals(k, WeightLayout.TIMM.toEngine(WeightLayout.timmName(k)), k);
        Path f32 = dir.resolve("w32.safetensors"), f16 = dir.resolve("w16.safetensors");
        ConvNeXtWeights.saveTimm(a, f32, Map.of("uvgl.size", "64"), SafeTensors.Precision.F32);
        ConvNeXtWeights.saveTimm(a, f16, Map.of(), SafeTensors.Precision.F16);
        assertTrue(SafeTensors.read(f32).tensors().containsKey("stages.0.blocks.0.conv_dw.weight"));
        assertEquals("64", SafeTensors.read(f32).metadata().get("uvgl.size"));
        ConvNeXt b = ConvNeXtWeights.loadModel(f32, CpuBackend.INSTANCE, n -> {}),
                c = ConvNeXtWeights.loadModel(f16, CpuBackend.INSTANCE, n -> {});
        Map<String, float[]> sb = snapshot(b), sc = snapshot(c);
        snapshot(a).forEach((k, v) -> {
            assertArrayEquals(v, sb.get(k), k);
            for (int i = 0; i < v.length; i++)
                assertEquals(v[i], sc.get(k)[i], Math.max(Math.abs(v[i]) * 0x1p-11, 0x1p-24), k + "[" + i + "]");
        });
    }

    /** timm's conv_mlp variants store the pointwise layers as 1x1 convolutions [O, I, 1, 1]. */
    static HostArray asConv1x1(HostArray a) {
        return new HostArray(new int[] {a.shape()[0], a.shape()[1], 1, 1}, a.data());
    }

    @Test void weightsOfAnotherSizeNameTheFirstMismatchingKeyWithBothShapesAndChangeNothing() throws IOException {
        ConvNeXt atto = new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 1);
        Map<String, float[]> before = snapshot(atto);
        var e = assertThrows(WeightFileException.class,
                () -> ConvNeXtWeights.loadInto(atto, Fixtures.path("convnext_tv.safetensors"), n -> {}));
        assertTrue(e.getMessage().contains("key features.0.0.weight (engine: downsample_layers.0.0.weight)")
                && e.getMessage().contains("[16, 3, 4, 4]")
                && e.getMessage().contains("[40, 3, 4, 4]"), e.getMessage());
        Map<String, float[]> after = snapshot(atto);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), "changed by a failed load: " + k));
    }

    @Test void aMissingKeyIsNamedAndNothingIsLoaded() throws IOException {
        ConvNeXt m = new ConvNeXt(SMALL_TEST, CpuBackend.INSTANCE, DType.F32, 1);
        Map<String, HostArray> w = new LinkedHashMap<>(ConvNeXtWeights.export(
                new ConvNeXt(SMALL_TEST, CpuBackend.INSTANCE, DType.F32, 2)));
        w.remove("stages.2.1.gamma");
        Map<String, float[]> before = snapshot(m);
        var e = assertThrows(WeightFileException.class, () -> ConvNeXtWeights.load(m, w, "f"));
        assertTrue(e.getMessage().contains("missing key stages.2.1.gamma"), e.getMessage());
        before.forEach((k, v) -> assertArrayEquals(v, snapshot(m).get(k), k));
    }

    @Test void anUnknownKeyIsAnError() {
        Map<String, HostArray> w = new LinkedHashMap<>();
        w.put("features.0.0.weight", new HostArray(new int[] {1}, new float[1]));
        w.put("features.1.0.block.9.weight", new HostArray(new int[] {1}, new float[1]));
        var e = assertThrows(WeightFileException.class, () -> ConvNeXtWeights.toEngineNames(w, "f", n -> {}));
        assertTrue(e.getMessage().contains("features.1.0.block.9.weight"), e.getMessage());
    }
}
