package dev.uvgl.eval.locate;

import dev.uvgl.util.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The gallery feature cache on disk: "UVGLGAL1", the 32-byte GalleryKey, u32 tiles, u32 dim, each
 * path as u32 length + UTF-8, the float32 rows, then CRC32C of all of it and "END!" (little-endian).
 * The checksum is verified before anything is used, so a torn or edited file is recomputed, never trusted.
 */
public final class GalleryCacheFile {
    private static final byte[] MAGIC = "UVGLGAL1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END!".getBytes(StandardCharsets.US_ASCII);

    /** The file exists but cannot be read back as a cache. */
    public static final class DamagedException extends IOException {
        DamagedException(String message) { super(message); }
    }

    private GalleryCacheFile() {}

    /**
     * Where a gallery's cache lives: beside the folder (DIR.locate-cache),
     * so the gallery itself is never written to or listed with it.
     */
    public static Path besideGallery(Path gallery) {
        Path abs = gallery.toAbsolutePath().normalize();
        return abs.getParent() == null || abs.getFileName() == null ? abs.resolve(".locate-cache")
                : abs.getParent().resolve(abs.getFileName() + ".locate-cache");
    }

    public static void write(Path file, byte[] key, GalleryFeatures g) throws IOException {
        List<byte[]> names = new ArrayList<>();
        long total = MAGIC.length + GalleryKey.BYTES + 8 + 4L * g.rows().length + 8;
        for (String p : g.paths()) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            names.add(b);
            total += 4 + b.length;
        }
        if (total > Integer.MAX_VALUE) throw new IOException("gallery cache over 2 GiB is not supported");
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put(key).putInt(g.size()).putInt(g.dim());
        for (byte[] n : names) b.putInt(n.length).put(n);
        b.asFloatBuffer().put(g.rows());
        b.position(b.position() + 4 * g.rows().length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).put(END);
        AtomicFiles.write(file, b.array());
    }

    /**
     * The features when the file exists and was made for `key`;
     * empty when absent or stale; DamagedException when unreadable.
     */
    public static Optional<GalleryFeatures> read(Path file, byte[] key) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        byte[] bytes = Files.readAllBytes(file);
        int body = bytes.length - 8;
        if (body < MAGIC.length + GalleryKey.BYTES + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)
                || !Arrays.equals(Arrays.copyOfRange(bytes, body + 4, bytes.length), END))
            throw new DamagedException("not a complete gallery cache (" + bytes.length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, body);
        if ((int) crc.getValue() != b.getInt(body)) throw new DamagedException("checksum mismatch");
        b.position(MAGIC.length);
        byte[] stored = new byte[GalleryKey.BYTES];
        b.get(stored);
        if (!Arrays.equals(stored, key)) return Optional.empty();
        int n = b.getInt(), dim = b.getInt();
        if (n < 0 || dim < 1) throw new DamagedException("bad shape " + n + " x " + dim);
        List<String> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (len < 0 || len > body - b.position()) throw new DamagedException("path " + i + " runs past the end");
            byte[] s = new byte[len];
            b.get(s);
            paths.add(new String(s, StandardCharsets.UTF_8));
        }
        if ((long) n * dim * 4 != body - b.position())
            throw new DamagedException("holds " + (body - b.position()) + " feature bytes, expected "
                    + (long) n * dim * 4);
        float[] rows = new float[n * dim];
        b.asFloatBuffer().get(rows);
        return Optional.of(new GalleryFeatures(paths, rows, dim));
    }
}
