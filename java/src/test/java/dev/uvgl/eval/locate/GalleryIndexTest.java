package dev.uvgl.eval.locate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gallery cache with a counting embedder: reused while
 * nothing changed, recomputed when anything it depends on does.
 */
class GalleryIndexTest {
    @TempDir Path dir;
    Path gallery, network, cache;
    List<Path> files;
    final List<String> log = new ArrayList<>();
    int embedCalls;

    /** Rows from each file's bytes, so a stale cache would show as different numbers. */
    final PhotoEmbedder counting = (root, list) -> {
        embedCalls++;
        float[] rows = new float[list.size() * 3];
        for (int i = 0; i < list.size(); i++) {
            try {
                byte[] b = Files.readAllBytes(root.resolve(list.get(i)));
                for (int j = 0; j < 3; j++) rows[i * 3 + j] = 1 + b[j % b.length] + j;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return new PhotoEmbedder.Embedded(rows, 3, list);
    };

    @BeforeEach void setUp() throws IOException {
        gallery = dir.resolve("gallery");
        Files.createDirectories(gallery.resolve("0001"));
        Files.write(gallery.resolve("0001/a.jpg"), new byte[] {10, 20, 30});
        Files.write(gallery.resolve("b.png"), new byte[] {5, 6, 7, 8});
        files = List.of(Path.of("0001/a.jpg"), Path.of("b.png"));
        network = dir.resolve("net.safetensors");
        Files.write(network, new byte[] {1, 2, 3});
        cache = GalleryCacheFile.besideGallery(gallery);
    }

    GalleryIndex.Loaded load() throws IOException {
        return GalleryIndex.load(gallery, files, GalleryKey.of(network, gallery, files, 64), cache, counting, log::add);
    }

    @Test void theSecondLoadReadsTheCacheWithoutEmbedding() throws IOException {
        GalleryIndex.Loaded first = load();
        assertFalse(first.fromCache());
        assertEquals(1, embedCalls);
        assertEquals(dir.resolve("gallery.locate-cache"), cache);
        assertTrue(Files.isRegularFile(cache));
        GalleryIndex.Loaded second = load();
        assertTrue(second.fromCache());
        assertEquals(1, embedCalls, "the cache must spare the extraction");
        assertEquals(List.of("0001/a.jpg", "b.png"), second.features().paths());
        assertArrayEquals(first.features().rows(), second.features().rows());
        double norm = 0;
        for (int j = 0; j < 3; j++) norm += second.features().rows()[j] * second.features().rows()[j];
        assertEquals(1, norm, 1e-6, "rows are stored L2-normalised");
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test void touchingAnImageChangingTheNetworkOrTheSizeRecomputes() throws IOException {
        load();
        Path a = gallery.resolve("0001/a.jpg");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 10_000));
        assertFalse(load().fromCache());
        assertEquals(2, embedCalls);
        assertTrue(load().fromCache());
        Files.write(network, new byte[] {1, 2, 4});  // same length: only the content differs
        assertFalse(load().fromCache());
        assertEquals(3, embedCalls);
        byte[] key64 = GalleryKey.of(network, gallery, files, 64), key96 = GalleryKey.of(network, gallery, files, 96);
        assertFalse(Arrays.equals(key64, key96));
        Files.write(gallery.resolve("b.png"), new byte[] {5, 6, 7, 8, 9});
        assertFalse(Arrays.equals(key64, GalleryKey.of(network, gallery, files, 64)),
                "an image's size is part of the key");
    }

    @Test void aDamagedCacheIsRecomputedWithAWarning() throws IOException {
        GalleryIndex.Loaded good = load();
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(cache, bytes);
        GalleryIndex.Loaded again = load();
        assertFalse(again.fromCache());
        assertArrayEquals(good.features().rows(), again.features().rows());
        assertTrue(log.size() == 1 && log.get(0).contains("damaged") && log.get(0).contains("checksum"),
                log.toString());
        Files.write(cache, Arrays.copyOf(Files.readAllBytes(cache), 20));
        assertFalse(load().fromCache());
        assertTrue(log.get(1).contains("not a complete gallery cache"), log.toString());
        assertTrue(load().fromCache(), "the recomputed cache was written back");
    }

    @Test void aCacheThatCannotBeWrittenOnlyWarns() throws IOException {
        Files.createDirectories(cache);  // a folder where the file should go: the rename fails
        GalleryIndex.Loaded g = load();
        assertEquals(2, g.features().size());
        assertTrue(log.stream().anyMatch(l -> l.contains("cannot write gallery cache")), log.toString());
    }
}
