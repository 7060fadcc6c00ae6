package dev.uvgl.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryMosaicTest {
    @TempDir Path dir;

    Path image(String name, Color c) throws IOException {
        BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 48; x++) img.setRGB(x, y, c.getRGB());
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test void photosBesideTheirTopFiveFramedByCorrectness() throws IOException {
        List<QueryHits> rows = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            List<QueryHits.Tile> hits = new ArrayList<>();
            for (int k = 0; k < 6; k++)
                hits.add(new QueryHits.Tile(image("t" + q + k + ".png", Color.BLUE), 0.9 - 0.1 * k, (k + q) % 2 == 0));
            rows.add(new QueryHits(image("q" + q + ".png", Color.YELLOW), hits));
        }
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not an image");
        rows.add(new QueryHits(broken, List.of(new QueryHits.Tile(image("t.png", Color.BLUE), 0.5, true))));
        Path out = dir.resolve("queries.png");
        List<String> notes = QueryMosaic.write(out, rows);
        BufferedImage img = ImageIO.read(out.toFile());
        assertNotNull(img);
        assertEquals(QueryMosaic.width(), img.getWidth());
        assertEquals(QueryMosaic.height(3), img.getHeight());
        for (int q = 0; q < 2; q++) {
            int y = QueryMosaic.GAP + q * (QueryMosaic.CELL + QueryMosaic.CAPTION + QueryMosaic.GAP);
            assertEquals(Color.YELLOW.getRGB(),
                    img.getRGB(QueryMosaic.GAP + QueryMosaic.CELL / 2, y + QueryMosaic.CELL / 2), "the photo is drawn");
            for (int k = 0; k < QueryMosaic.TOP; k++) {
                int x = QueryMosaic.GAP + QueryMosaic.CELL + QueryMosaic.SEPARATOR
                        + k * (QueryMosaic.CELL + QueryMosaic.GAP);
                Color want = (k + q) % 2 == 0 ? QueryMosaic.CORRECT : QueryMosaic.WRONG;
                assertEquals(want.getRGB(), img.getRGB(x + 2, y + QueryMosaic.CELL / 2),
                        "frame of query " + q + " hit " + (k + 1));
                assertEquals(Color.BLUE.getRGB(), img.getRGB(x + QueryMosaic.CELL / 2, y + QueryMosaic.CELL / 2),
                        "the tile inside the frame");
            }
        }
        assertTrue(notes.stream().anyMatch(n -> n.contains("broken.jpg") && n.contains("unreadable")),
                notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("top 5 of 6")), notes.toString());
    }
}
