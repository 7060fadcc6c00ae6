package dev.uvgl.eval.locate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the gallery's features depend on, as a SHA-256: the network file's bytes, every image's path,
 * byte size and modification time, and the input size. The network is hashed by content, not by
 * name or time, because a retrained checkpoint is usually written over the same path.
 */
public final class GalleryKey {
    public static final int BYTES = 32;

    private GalleryKey() {}

    public static byte[] of(Path network, Path gallery, List<Path> files, int size) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(network)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) sha.update(buf, 0, r);
        }
        sha.update(("\nsize " + size + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(gallery.resolve(f), BasicFileAttributes.class);
            String line = f.toString().replace('\\', '/') + "\0" + a.size() + "\0"
                    + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\n";
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
