package dev.uvgl.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.util.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: u64 little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the raw
 * little-endian data (offsets relative to its start). Reads F32, F16 and BF16 into float32; writes
 * F32. Every offset and size is checked against the file before any tensor is returned.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** safetensors' own cap on the header, which also stops a garbage length from allocating gigabytes. */
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** The tensors of a file, in header order, and its string metadata. */
    public record Contents(Map<String, HostArray> tensors, Map<String, String> metadata) {}

    public static Contents read(Path path) throws IOException {
        if (!Files.isRegularFile(path))
            throw new WeightFileException(path
                    + " does not exist or is not a file; pass an existing .safetensors file");
        byte[] bytes = Files.readAllBytes(path);
        return parse(bytes, path.toString());
    }

    public static Contents parse(byte[] bytes, String source) throws WeightFileException {
        String fix = "; the file is truncated or not safetensors: re-export or re-download it";
        if (bytes.length < 8)
            throw new WeightFileException(source + ": " + bytes.length
                    + " bytes is too short for a safetensors header" + fix);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > bytes.length)
            throw new WeightFileException(source + ": header length " + headerLen + " does not fit a file of "
                    + bytes.length + " bytes" + fix);
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WeightFileException(source + ": header is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")" + fix);
        }
        if (header == null || !header.isObject())
            throw new WeightFileException(source + ": header is not a JSON object" + fix);
        int dataStart = (int) (8 + headerLen);
        long dataLen = bytes.length - dataStart;
        Map<String, HostArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), tensor(bytes, dataStart, dataLen, e.getKey(), e.getValue(), source, fix));
        }
        return new Contents(tensors, metadata);
    }

    private static HostArray tensor(byte[] bytes, int dataStart, long dataLen, String name, JsonNode info,
            String source, String fix) throws WeightFileException {
        String where = source + ": tensor '" + name + "'";
        JsonNode dtype = info.get("dtype"), shapeNode = info.get("shape"), offs = info.get("data_offsets");
        if (dtype == null || shapeNode == null || !shapeNode.isArray() || offs == null || !offs.isArray()
                || offs.size() != 2)
            throw new WeightFileException(where + " lacks dtype, shape or data_offsets" + fix);
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = shapeNode.get(i).asLong(-1);
            if (d < 0 || d > Integer.MAX_VALUE)
                throw new WeightFileException(where + " has a bad dimension " + shapeNode.get(i) + fix);
            shape[i] = (int) d;
            numel *= d;
        }
        int width = switch (dtype.asText()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new WeightFileException(where + " has dtype " + dtype.asText()
                    + "; only F32, F16 and BF16 are read: convert the file to one of them");
        };
        long begin = offs.get(0).asLong(-1), end = offs.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen)
            throw new WeightFileException(where + " has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataLen + " data bytes" + fix);
        if (end - begin != numel * width)
            throw new WeightFileException(where + " holds " + (end - begin) + " bytes, its shape " + shapeNode + " in "
                    + dtype.asText() + " needs " + numel * width + fix);
        if (numel > Integer.MAX_VALUE) throw new WeightFileException(where + " has more than 2^31-1 elements");
        ByteBuffer b = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) numel];
        switch (dtype.asText()) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "BF16" -> {
                for (int i = 0; i < out.length; i++) out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
            }
            default -> { for (int i = 0; i < out.length; i++) out[i] = HalfFloat.toFloat(b.getShort()); }
        }
        return new HostArray(shape, out);
    }

    /** The element types this writer stores. */
    public enum Precision {
        F32(4), F16(2);

        final int bytes;

        Precision(int bytes) { this.bytes = bytes; }
    }

    /** Writes F32 tensors (in map order) and metadata, atomically. */
    public static void write(Path path, Map<String, HostArray> tensors,
            Map<String, String> metadata) throws IOException {
        write(path, tensors, metadata, Precision.F32);
    }

    /** Writes the tensors at the given precision (F16 rounds to nearest even; a value beyond 65504 is an error). */
    public static void write(Path path, Map<String, HostArray> tensors, Map<String, String> metadata,
            Precision precision) throws IOException {
        AtomicFiles.write(path, toBytes(tensors, metadata, precision));
    }

    public static byte[] toBytes(Map<String, HostArray> tensors, Map<String, String> metadata) throws IOException {
        return toBytes(tensors, metadata, Precision.F32);
    }

    public static byte[] toBytes(Map<String, HostArray> tensors, Map<String, String> metadata,
            Precision precision) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", precision.name());
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            long len = (long) precision.bytes * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does, so the data is aligned.
        int padded = (json.length + 7) / 8 * 8;
        long total = 8 + padded + offset;
        if (total > Integer.MAX_VALUE)
            throw new IOException("safetensors file over 2 GiB is not supported by this writer");
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        for (var e : tensors.entrySet()) {
            float[] d = e.getValue().data();
            if (precision == Precision.F32) {
                for (float v : d) out.putFloat(v);
            } else {
                for (int i = 0; i < d.length; i++) {
                    if (Float.isFinite(d[i]) && Math.abs(d[i]) > HalfFloat.MAX)
                        throw new IOException("tensor " + e.getKey() + "[" + i + "] = " + d[i]
                                + " does not fit in float16 (max " + HalfFloat.MAX + "); write float32");
                    out.putShort(HalfFloat.fromFloat(d[i]));
                }
            }
        }
        return out.array();
    }

    /** True when the file starts like a safetensors file (a plausible header length followed by '{'). */
    public static boolean looksLike(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) { }
            if (b.position() < 9) return false;
            long len = b.getLong(0);
            return len > 1 && len <= MAX_HEADER && b.get(8) == '{';
        } catch (IOException e) {
            return false;
        }
    }
}
