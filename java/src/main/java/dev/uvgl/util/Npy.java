package dev.uvgl.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy files, version 1.0, little-endian, C order: `<f4` matrices (features, [N, D]) and `<i8`
 * vectors (labels, [N]), readable by numpy.load as they are (cli.md). Writes are atomic.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A float32 array with its shape. */
    public record Floats(float[] data, int[] shape) {}

    private Npy() {}

    public static void writeFloats(Path path, float[] data, int... shape) throws IOException {
        checkCount(data.length, shape);
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        write(path, "<f4", shape, body);
    }

    public static void writeLongs(Path path, long[] data) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        body.asLongBuffer().put(data);
        write(path, "<i8", new int[] {data.length}, body);
    }

    private static void write(Path path, String descr, int[] shape, ByteBuffer body) throws IOException {
        // Byte-for-byte what numpy.save writes: Python's tuple repr, then numpy's growth room for the first
        // dimension (21 - its digits), padded so the data starts at a multiple of 64 bytes.
        String dims = shape.length == 1 ? shape[0] + ","
                : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toArray(String[]::new));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }"
                + " ".repeat(Math.max(0, 21 - String.valueOf(shape.length == 0 ? 0 : shape[0]).length()));
        int used = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - used % 64) % 64) + "\n";
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII));
        head.flip();
        body.rewind();
        AtomicFiles.write(path, ch -> { AtomicFiles.writeFully(ch, head); AtomicFiles.writeFully(ch, body); });
    }

    public static Floats readFloats(Path path) throws IOException {
        Parsed p = parse(path, "<f4");
        float[] out = new float[checkCount(p.body.remaining() / 4, p.shape)];
        p.body.asFloatBuffer().get(out);
        return new Floats(out, p.shape);
    }

    public static long[] readLongs(Path path) throws IOException {
        Parsed p = parse(path, "<i8");
        if (p.shape.length != 1)
            throw new IOException(path + ": expected a 1-D <i8 array, got shape " + Arrays.toString(p.shape));
        long[] out = new long[checkCount(p.body.remaining() / 8, p.shape)];
        p.body.asLongBuffer().get(out);
        return out;
    }

    private record Parsed(int[] shape, ByteBuffer body) {}

    private static Parsed parse(Path path, String wantDescr) throws IOException {
        byte[] all = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC))
            throw new IOException(path + " is not a .npy file (bad magic); write it with numpy.save");
        int major = all[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        if (start + headerLen > all.length) throw new IOException(path + " is truncated inside its header");
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, path), order = find(ORDER, header, path),
                shapeText = find(SHAPE, header, path);
        if (!descr.equals(wantDescr))
            throw new IOException(path + " holds dtype " + descr + ", expected " + wantDescr
                    + " (convert with numpy: a.astype('" + wantDescr + "'))");
        if (order.equals("True"))
            throw new IOException(path + " is in Fortran order; save it with np.ascontiguousarray");
        String[] parts = shapeText.split(",");
        int[] shape = Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        ByteBuffer body = ByteBuffer.wrap(all, start + headerLen, all.length - start - headerLen).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        long want = 1;
        for (int d : shape) want *= d;
        long have = body.remaining() / (wantDescr.equals("<f4") ? 4 : 8);
        if (have < want)
            throw new IOException(path + " is truncated: shape " + Arrays.toString(shape) + " needs " + want
                    + " values, file holds " + have);
        return new Parsed(shape, body);
    }

    private static String find(Pattern p, String header, Path path) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(path + ": .npy header lacks " + p.pattern() + ": " + header.trim());
        return m.group(1);
    }

    private static int checkCount(int n, int[] shape) {
        long want = 1;
        for (int d : shape) want *= d;
        if (want != n) throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        return n;
    }
}
