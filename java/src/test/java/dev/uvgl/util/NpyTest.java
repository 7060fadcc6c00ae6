package dev.uvgl.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test void readsWhatNumpyWroteAndWritesTheSameBytes(@TempDir Path dir) throws Exception {
        Npy.Floats f = Npy.readFloats(fixture("numpy_f4_3x2.npy"));
        assertArrayEquals(new int[] {3, 2}, f.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f, 7f}, f.data());
        Npy.writeFloats(dir.resolve("f.npy"), f.data(), f.shape());
        assertArrayEquals(Files.readAllBytes(fixture("numpy_f4_3x2.npy")), Files.readAllBytes(dir.resolve("f.npy")));

        long[] l = Npy.readLongs(fixture("numpy_i8_4.npy"));
        assertArrayEquals(new long[] {3, -1, 0, 1L << 40}, l);
        Npy.writeLongs(dir.resolve("l.npy"), l);
        assertArrayEquals(Files.readAllBytes(fixture("numpy_i8_4.npy")), Files.readAllBytes(dir.resolve("l.npy")));
    }

    @Test void badFilesGetErrorsThatNameTheProblem(@TempDir Path dir) throws Exception {
        Path trunc = dir.resolve("t.npy");
        byte[] good = Files.readAllBytes(fixture("numpy_f4_3x2.npy"));
        Files.write(trunc, java.util.Arrays.copyOf(good, good.length - 4));
        IOException e = assertThrows(IOException.class, () -> Npy.readFloats(trunc));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> Npy.readLongs(fixture("numpy_f4_3x2.npy")));
        assertTrue(e.getMessage().contains("<f4") && e.getMessage().contains("<i8"), e.getMessage());
        Files.writeString(dir.resolve("x.npy"), "hello");
        e = assertThrows(IOException.class, () -> Npy.readFloats(dir.resolve("x.npy")));
        assertTrue(e.getMessage().contains("not a .npy"), e.getMessage());
    }

    @Test void atomicWriteLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        AtomicFiles.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
        AtomicFiles.write(dir.resolve("a.bin"), new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(dir.resolve("a.bin")));
        try (var s = Files.list(dir)) { assertTrue(s.allMatch(p -> p.getFileName().toString().equals("a.bin"))); }
    }
}
