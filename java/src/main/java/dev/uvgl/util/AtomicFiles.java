package dev.uvgl.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Writes a file so that a kill at any moment leaves either the old file or the new one, never a
 * torn one: write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the whole content into an open channel. */
    public interface Writer { void write(FileChannel out) throws IOException; }

    /**
     * The content could not be written (a full disk, a read-only folder); the target, if it existed,
     * is untouched. The message names the file, the folder's disk and the fix, in one line.
     */
    public static final class WriteFailedException extends IOException {
        WriteFailedException(String message, IOException cause) { super(message, cause); }
    }

    // Test seam: wraps every writer, so a test can play a full disk part-way through a real write.
    private static volatile UnaryOperator<Writer> writerFilter = UnaryOperator.identity();

    /** Routes every write through `filter` until the returned handle is closed (tests only: simulating disk faults). */
    public static AutoCloseable filterWritesForTest(UnaryOperator<Writer> filter) {
        writerFilter = filter;
        return () -> writerFilter = UnaryOperator.identity();
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writerFilter.apply(writer).write(ch);
                ch.force(true);
            } catch (IOException e) {
                throw failed(target, dir, e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static WriteFailedException failed(Path target, Path dir, IOException e) {
        String why = String.valueOf(e.getMessage());
        boolean full = why.contains("No space left on device") || why.contains("Disk quota exceeded");
        return new WriteFailedException("could not write " + target + ": " + why + "; "
                + (full ? "free space on the disk holding " + dir + " (df -h " + dir + ")"
                        : "check that " + dir + " is writable")
                + (Files.exists(target) ? "; the previous " + target.getFileName() + " is intact" : ""), e);
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable; not every file system lets a directory be opened, which is harmless.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
