package dev.uvgl.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.util.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The checkpoint file: "UVGLCKPT", u32 format version, u64 header length, JSON header (epoch, step,
 * config, rng, and per tensor its dtype, shape and byte range), raw little-endian data, then a
 * trailer: u64 byte count before it, CRC32C of those bytes, "END!". Written atomically; read
 * whole and verified (length, then checksum) before anything is parsed, so a truncated or
 * corrupted file is reported as such and never half-loads a model.
 */
public final class CheckpointFile {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "UVGLCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END!".getBytes(StandardCharsets.US_ASCII);
    private static final int PREAMBLE = 8 + 4 + 8, TRAILER = 8 + 4 + 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {}

    /** True when the file starts with the checkpoint magic. */
    public static boolean isCheckpoint(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    public static void write(Path path, Checkpoint c) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("epoch", c.epoch());
        header.put("step", c.step());
        header.set("config", c.config());
        header.set("rng", c.rng());
        ObjectNode tensors = header.putObject("tensors");
        long offset = 0;
        for (var s : c.sections().entrySet())
            for (var t : s.getValue().entrySet()) {
                offset = describe(tensors, s.getKey() + "/" + t.getKey(), "F32", t.getValue().shape(), offset,
                        4L * t.getValue().data().length);
            }
        for (var l : c.labels().entrySet())
            offset = describe(tensors, "labels/" + l.getKey(), "I64", new int[] {l.getValue().length}, offset,
                    8L * l.getValue().length);
        byte[] json = JSON.writeValueAsBytes(header);
        long total = PREAMBLE + json.length + offset + TRAILER;
        if (total > Integer.MAX_VALUE) throw new IOException("checkpoint over 2 GiB is not supported by this writer");
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putLong(json.length).put(json);
        for (var s : c.sections().values())
            for (HostArray a : s.values()) {
                b.asFloatBuffer().put(a.data());
                b.position(b.position() + 4 * a.data().length);
            }
        for (long[] l : c.labels().values()) { b.asLongBuffer().put(l); b.position(b.position() + 8 * l.length); }
        int body = b.position();
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, body);
        b.putLong(body).putInt((int) crc.getValue()).put(END);
        AtomicFiles.write(path, b.array());
    }

    private static long describe(ObjectNode tensors, String name, String dtype, int[] shape, long offset, long length) {
        ObjectNode t = tensors.putObject(name);
        t.put("dtype", dtype);
        ArrayNode s = t.putArray("shape");
        for (int d : shape) s.add(d);
        t.put("offset", offset);
        t.put("length", length);
        return offset + length;
    }

    public static Checkpoint read(Path path) throws IOException {
        String src = path.toString();
        if (!Files.isRegularFile(path))
            throw new WeightFileException(src + " does not exist or is not a file; pass a checkpoint written by train");
        byte[] bytes = Files.readAllBytes(path);
        String damaged = "; the checkpoint is damaged: use the previous one (RUN/checkpoints) or re-run training";
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC))
            throw new WeightFileException(src + " is not an engine checkpoint (no UVGLCKPT magic); "
                    + "pass a checkpoint or a .safetensors weights file");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < PREAMBLE + TRAILER
                || !Arrays.equals(Arrays.copyOfRange(bytes, bytes.length - END.length, bytes.length), END)
                || b.getLong(bytes.length - TRAILER) != bytes.length - TRAILER)
            throw new WeightFileException(src + " is truncated (" + bytes.length
                    + " bytes, no complete trailer)" + damaged);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - TRAILER);
        if ((int) crc.getValue() != b.getInt(bytes.length - TRAILER + 8))
            throw new WeightFileException(src + " is corrupt (checksum mismatch)" + damaged);
        int version = b.getInt(MAGIC.length);
        if (version < 1 || version > VERSION)
            throw new WeightFileException(src + " has checkpoint format version " + version
                    + "; this engine reads 1 to " + VERSION + ": use a newer engine");
        long headerLen = b.getLong(MAGIC.length + 4);
        long dataStart = PREAMBLE + headerLen, dataLen = bytes.length - TRAILER - dataStart;
        if (headerLen < 2 || dataLen < 0)
            throw new WeightFileException(src + ": header length " + headerLen + " does not fit the file" + damaged);
        JsonNode header = JSON.readTree(new String(bytes, PREAMBLE, (int) headerLen, StandardCharsets.UTF_8));
        Map<String, Map<String, HostArray>> sections = new LinkedHashMap<>();
        Map<String, long[]> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.path("tensors").fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            int slash = name.indexOf('/');
            JsonNode t = e.getValue();
            long off = t.path("offset").asLong(-1), len = t.path("length").asLong(-1);
            if (slash <= 0 || off < 0 || len < 0 || off + len > dataLen)
                throw new WeightFileException(src + ": tensor '" + name + "' has a bad name or byte range" + damaged);
            int[] shape = new int[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.path("shape").get(i).asInt();
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) (dataStart + off), (int) len).order(ByteOrder.LITTLE_ENDIAN);
            String section = name.substring(0, slash), key = name.substring(slash + 1);
            if (t.path("dtype").asText().equals("I64") && section.equals("labels")) {
                long[] v = new long[(int) (len / 8)];
                data.asLongBuffer().get(v);
                labels.put(key, v);
            } else if (t.path("dtype").asText().equals("F32")) {
                float[] v = new float[(int) (len / 4)];
                data.asFloatBuffer().get(v);
                try {
                    sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, new HostArray(shape, v));
                } catch (IllegalArgumentException ex) {
                    throw new WeightFileException(src + ": tensor '" + name + "': " + ex.getMessage() + damaged);
                }
            } else throw new WeightFileException(src + ": tensor '" + name + "' has unknown dtype "
                    + t.path("dtype").asText() + "; use a newer engine");
        }
        return new Checkpoint(header.path("epoch").asLong(), header.path("step").asLong(), header.path("config"),
                header.path("rng"), sections, labels);
    }
}
