package dev.uvgl.model.weights;

import dev.uvgl.model.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir Path dir;

    @Test void writeThenReadGivesTheSameTensorsMetadataAndOrder() throws IOException {
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("b.weight", new HostArray(new int[] {2, 3}, new float[] {1, -2, 3.5f, 4, 5, Float.MIN_VALUE}));
        t.put("a.scalar", new HostArray(new int[] {}, new float[] {7}));
        t.put("empty", new HostArray(new int[] {0, 4}, new float[0]));
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, t, Map.of("format", "pt"));
        var r = SafeTensors.read(f);
        assertEquals(t.keySet().stream().toList(), r.tensors().keySet().stream().toList());
        for (var e : t.entrySet()) {
            assertArrayEquals(e.getValue().shape(), r.tensors().get(e.getKey()).shape());
            assertArrayEquals(e.getValue().data(), r.tensors().get(e.getKey()).data());
        }
        assertEquals("pt", r.metadata().get("format"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data aligned to 8 bytes");
        assertTrue(SafeTensors.looksLike(f));
    }

    @Test void readsF16AndBf16AsTorchRoundsThem() throws IOException {
        var t = SafeTensors.read(Fixtures.path("halfprec.safetensors")).tensors();
        assertArrayEquals(t.get("f16_expected").data(), t.get("as_f16").data());
        assertArrayEquals(t.get("bf16_expected").data(), t.get("as_bf16").data());
    }

    @Test void halfFloatDecodesSpecialValues() {
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat((short) 0x7C00));
        assertTrue(Float.isNaN(HalfFloat.toFloat((short) 0x7E00)));
        assertEquals(-0.0f, HalfFloat.toFloat((short) 0x8000));
        assertEquals(0x1p-24f, HalfFloat.toFloat((short) 0x0001));
        assertEquals(65504f, HalfFloat.toFloat((short) 0x7BFF));
    }

    @Test void everyTruncationIsAnErrorNamingTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("halfprec.safetensors"));
        for (int len : new int[] {0, 5, 8, 20, whole.length - 1}) {
            Path f = dir.resolve("cut" + len + ".safetensors");
            Files.write(f, Arrays.copyOf(whole, len));
            var e = assertThrows(WeightFileException.class, () -> SafeTensors.read(f), "length " + len);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test void corruptHeadersAreErrors() throws IOException {
        assertBad("{not json", "not valid JSON");
        assertBad("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", "needs 16");
        assertBad("{\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", "only F32, F16 and BF16");
        assertBad("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,400]}}", "outside");
        assertBad("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", "lacks");
    }

    private void assertBad(String header, String expected) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        var e = assertThrows(WeightFileException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
