package dev.uvgl.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk that fills up part-way through a write: the error names
 * the disk and the fix, and the previous file survives whole.
 */
class AtomicFilesTest {
    static final ConvNeXtConfig TOY = new ConvNeXtConfig("toy", new int[] {1, 1, 1, 1}, new int[] {8, 8, 16, 16});
    @TempDir Path dir;

    /** Writes a few real bytes, then fails as the kernel reports ENOSPC. */
    static AutoCloseable fullDisk() {
        return AtomicFiles.filterWritesForTest(w -> ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[4096]));
            throw new IOException("No space left on device");
        });
    }

    static Checkpoint checkpoint(long seed) throws IOException {
        ConvNeXt m = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, seed);
        return Checkpoint.ofWeights(ConvNeXtWeights.export(m), new ObjectMapper().readTree("{\"size\": 64}"));
    }

    @Test void aCheckpointWrittenOntoAFullDiskLeavesThePreviousOneLoadable() throws Exception {
        Path f = dir.resolve("last.ckpt");
        CheckpointFile.write(f, checkpoint(1));
        byte[] before = Files.readAllBytes(f);
        AtomicFiles.WriteFailedException e;
        try (AutoCloseable full = fullDisk()) {
            e = assertThrows(AtomicFiles.WriteFailedException.class, () -> CheckpointFile.write(f, checkpoint(2)));
        }
        assertTrue(e.getMessage().contains("No space left on device")
                && e.getMessage().contains("free space on the disk holding " + dir.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("the previous last.ckpt is intact") && !e.getMessage().contains("\n"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        var old = checkpoint(1).section(Checkpoint.MODEL).orElseThrow();
        CheckpointFile.read(f).section(Checkpoint.MODEL).orElseThrow()
                .forEach((k, v) ->
                        assertArrayEquals(old.get(k).data(), v.data(), "the old checkpoint still reads: " + k));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "the temp file is removed");
        }
        CheckpointFile.write(f, checkpoint(2));
        assertTrue(!java.util.Arrays.equals(before, Files.readAllBytes(f)), "the seam is gone once closed");
    }

    @Test void otherWriteErrorsAskForAWritableFolder() throws Exception {
        Path f = dir.resolve("a.bin");
        try (AutoCloseable broken = AtomicFiles.filterWritesForTest(w ->
                ch -> { throw new IOException("Input/output error"); })) {
            var e = assertThrows(AtomicFiles.WriteFailedException.class, () -> AtomicFiles.write(f, new byte[] {1}));
            assertTrue(e.getMessage().contains("check that " + dir.toAbsolutePath() + " is writable"), e.getMessage());
            assertTrue(!e.getMessage().contains("previous"), "there was no previous file: " + e.getMessage());
        }
        assertTrue(!Files.exists(f));
    }
}
