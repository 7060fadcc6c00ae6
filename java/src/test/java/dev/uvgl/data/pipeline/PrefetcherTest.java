package dev.uvgl.data.pipeline;

import dev.uvgl.data.image.Geometry;
import dev.uvgl.data.image.Normalize;
import dev.uvgl.data.image.RgbImage;
import dev.uvgl.data.image.TrainAugment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetcherTest {
    @TempDir Path tmp;

    private List<Path> images(int n) throws IOException {
        List<Path> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, r.nextInt(1 << 24));
            Path p = tmp.resolve("img" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            out.add(p);
        }
        return out;
    }

    @Test void batchesAreTheSameWhateverTheThreadCountAndViewMajor() throws IOException {
        List<Path> files = images(6);
        List<int[]> plan = List.of(new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {5, 0, 2}, new int[] {1, 1, 4});
        List<String> warnings = new ArrayList<>();
        BatchMaker maker = new BatchMaker(files::get, new TrainAugment(24), 2, 11, warnings::add);
        List<Batch> one = new ArrayList<>(), two = new ArrayList<>();
        try (Prefetcher p = new Prefetcher(maker, plan.iterator(), 1, 1)) {
            for (Batch b; (b = p.next()) != null; ) one.add(b);
        }
        try (Prefetcher p = new Prefetcher(maker, plan.iterator(), 2, 3)) {
            for (Batch b; (b = p.next()) != null; ) two.add(b);
        }
        assertEquals(4, one.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, two.get(i).number());
            assertArrayEquals(one.get(i).data(), two.get(i).data());
            assertEquals(3 * 2 * 24 * 24 * 3, one.get(i).data().length);
        }
        // The two views of one row are augmented independently.
        int per = 24 * 24 * 3;
        float[] d = one.get(0).data();
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(d, 0, per),
                java.util.Arrays.copyOfRange(d, 3 * per, 4 * per)));
        assertTrue(warnings.isEmpty());
    }

    @Test void undecodableFileIsCountedAndBlackened() throws IOException {
        List<Path> files = images(2);
        Files.write(files.get(1), new byte[] {9, 9, 9});
        List<String> warnings = new ArrayList<>();
        BatchMaker maker = new BatchMaker(files::get, new TrainAugment(16), 1, 3, warnings::add);
        Batch b = maker.make(0, new int[] {0, 1});
        assertEquals(1, maker.failedDecodes());
        assertEquals(1, warnings.size());
        float black = (0 - Normalize.MEAN[0]) / Normalize.STD[0];
        assertEquals(black, b.data()[16 * 16 * 3], 1e-6);
        try (Prefetcher p = new Prefetcher(maker, List.<int[]>of().iterator(), 1, 2)) { assertNull(p.next()); }
    }

    @Test void augmentKeepsSizePadsWithBlackAndFlips() {
        RgbImage white = new RgbImage(20, 20, filled(20 * 20 * 3, 255));
        RgbImage padded = Geometry.pad(white, 10);
        assertEquals(40, padded.width());
        assertEquals(0, padded.get(0, 0, 0));
        assertEquals(255, padded.get(10, 10, 0));
        RgbImage ramp = new RgbImage(3, 1, new float[] {1, 1, 1, 2, 2, 2, 3, 3, 3});
        assertEquals(3, Geometry.hflip(ramp).get(0, 0, 0));
        int sawBlackEdge = 0;
        for (int s = 0; s < 20; s++) {
            RgbImage out = new TrainAugment(20).apply(white, new SplittableRandom(s));
            assertEquals(20, out.width());
            assertEquals(20, out.height());
            boolean corners = out.get(0, 0, 0) == 0 || out.get(19, 19, 0) == 0 || out.get(0, 19, 0) == 0
                    || out.get(19, 0, 0) == 0;
            if (corners) sawBlackEdge++;
        }
        assertTrue(sawBlackEdge > 10,
                "the random crop of the padded image should usually show the black border: " + sawBlackEdge);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
