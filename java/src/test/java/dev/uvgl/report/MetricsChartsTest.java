package dev.uvgl.report;

import dev.uvgl.dmnil.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsChartsTest {
    @TempDir Path dir;

    static String epoch(int e, String loss, String extra) {
        String eval = "\"eval\": {\"d2s\": {\"r1\": " + (10 + 5 * e) + ", \"r5\": 50, \"r10\": 60, \"ap\": "
                + (12 + 4 * e) + "}, "
                + "\"s2d\": {\"r1\": " + (15 + 3 * e) + ", \"r5\": 55, \"r10\": 65, \"ap\": " + (14 + 2 * e) + "}}";
        if (e < 0) return "{\"epoch\": -1, \"selected_on_test\": false, " + eval + "}";
        return "{\"epoch\": " + e + ", \"lr\": 0.00035, \"steps\": 20, \"loss\": " + loss + ", "
                + "\"clusters\": {\"drone\": 7, \"satellite\": 8}, \"purity\": {\"drone\": " + (0.5 + 0.1 * e)
                + ", \"satellite\": 0.9}, "
                + "\"cluster_sizes\": {\"drone\": [4, 5, 9, 12, 4, 6, 30], \"satellite\": [2, 2, 2, 3, 2, 2, 2, 2]}, "
                + eval + extra + "}";
    }

    static String lossOf(double total) {
        return "{\"total\": " + total + ", \"cm\": 1.5, \"intra\": 0.3, \"cross\": 0.1, \"kl\": 0.02}";
    }

    static BufferedImage png(Path p) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(p), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head,
                p + " starts with the PNG signature");
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " decodes");
        return img;
    }

    static int colours(BufferedImage img) {
        Set<Integer> c = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3)
            for (int x = 0; x < img.getWidth(); x += 3) c.add(img.getRGB(x, y));
        return c.size();
    }

    @Test void writesTheFourChartsAsPngsOfTheChartSize() throws IOException {
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, String.join("\n", epoch(-1, null, ""), epoch(0, lossOf(2.0), ""),
                epoch(1, lossOf(1.8), ""), epoch(2, lossOf(1.5), "")) + "\n");
        MetricsCharts.Result r = MetricsCharts.write(m, dir.resolve("plots"));
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        List<String> names = r.written().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("loss_terms.png", "retrieval.png", "purity.png", "cluster_sizes.png"), names);
        for (Path p : r.written()) {
            BufferedImage img = png(p);
            assertEquals(MetricsCharts.WIDTH, img.getWidth(), p.toString());
            assertEquals(MetricsCharts.HEIGHT, img.getHeight(), p.toString());
            assertTrue(colours(img) > 10, p + " has drawn content");
        }
        try (var s = Files.list(dir.resolve("plots"))) {
            assertEquals(4, s.count(), "no temp files left beside the charts");
        }
    }

    @Test void nanMissingKeysAndABrokenLineAreSkippedAndNamed() throws IOException {
        Path m = dir.resolve("metrics.jsonl");
        String nanLoss = "{\"total\": NaN, \"cm\": 1.5, \"intra\": 0.3, \"cross\": 0.1, \"kl\": 0.02}";
        String noCross = "{\"total\": 1.4, \"cm\": 1.5, \"intra\": 0.3, \"kl\": \"oops\"}";
        Files.writeString(m, String.join("\n", epoch(-1, null, ""), epoch(0, lossOf(2.0), ""), epoch(1, nanLoss, ""),
                epoch(2, noCross, ""),
                "{\"epoch\": 3, \"loss\": {\"total\": 1.2")  + "\n");
        MetricsCharts.Result r = MetricsCharts.write(m, dir.resolve("plots"));
        assertEquals(4, r.written().size(), r.notes().toString());
        for (Path p : r.written()) png(p);
        String notes = String.join("\n", r.notes());
        assertTrue(notes.contains("loss_terms.png: skipped loss.total at epoch 1 (NaN)"), notes);
        assertTrue(notes.contains("skipped loss.cross at epoch 2 (missing)"), notes);
        assertTrue(notes.contains("skipped loss.kl at epoch 2 (\"oops\")"), notes);
        assertTrue(notes.contains("metrics.jsonl line 5 is not JSON"), notes);
        assertFalse(notes.contains("epoch -1"), "epoch -1 has no loss by design, which is not worth a note: " + notes);
    }

    @Test void aSkippedPointIsLeftOutOfItsSeries() throws IOException {
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, epoch(0, lossOf(2.0), "") + "\n" + epoch(1, "{\"total\": NaN}", "") + "\n"
                + epoch(2, lossOf(1.0), "") + "\n");
        List<String> notes = new ArrayList<>();
        EpochSeries s = EpochSeries.of("loss_terms.png", "total", MetricsLog.read(m, notes::add), notes::add,
                "loss", "total");
        assertArrayEquals(new double[] {0, 2}, s.epochs());
        assertArrayEquals(new double[] {2.0, 1.0}, s.values());
        assertEquals(1, notes.size(), notes.toString());
    }

    @Test void theUntrainedLineAloneGivesRetrievalOnlyAndSaysWhy() throws IOException {
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, epoch(-1, null, "") + "\n");
        MetricsCharts.Result r = MetricsCharts.write(m, dir.resolve("plots"));
        assertEquals(List.of(dir.resolve("plots/retrieval.png")), r.written());
        png(r.written().get(0));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("loss_terms.png not written")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("cluster_sizes.png not written")),
                r.notes().toString());
    }

    @Test void binsAreSharedAndCountEverySize() {
        SizeBins small = SizeBins.covering(List.of(new int[] {2, 3, 3}, new int[] {5}));
        assertEquals(List.of("2", "3", "4", "5"), small.labels());
        assertEquals(List.of(1, 2, 0, 0), small.counts(new int[] {2, 3, 3}));
        SizeBins wide = SizeBins.covering(List.of(new int[] {1, 100}));
        assertTrue(wide.labels().size() <= 20 && wide.labels().get(0).startsWith("1-"), wide.labels().toString());
        assertEquals(2, wide.counts(new int[] {1, 100}).stream().mapToInt(Integer::intValue).sum());
    }
}
