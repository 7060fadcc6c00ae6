package dev.uvgl.data.synth;

import dev.uvgl.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A PNG grid for eyeballing a world: one row per test place, its satellite tile then its first four drone views. */
public final class ContactSheet {
    private ContactSheet() {}

    public static void write(Path world, int rows, Path png) throws IOException {
        List<Path> ids;
        try (Stream<Path> s = Files.list(world.resolve("test/query_drone"))) {
            ids = s.sorted().limit(rows).toList();
        }
        int cell = 0;
        BufferedImage[][] tiles = new BufferedImage[ids.size()][5];
        for (int r = 0; r < ids.size(); r++) {
            String id = ids.get(r).getFileName().toString();
            tiles[r][0] = ImageIO.read(world.resolve("test/gallery_satellite/" + id + "/" + id + ".jpg").toFile());
            List<Path> drones;
            try (Stream<Path> s = Files.list(ids.get(r))) { drones = s.sorted().limit(4).toList(); }
            for (int c = 0; c < drones.size(); c++) tiles[r][c + 1] = ImageIO.read(drones.get(c).toFile());
            cell = Math.max(cell, tiles[r][0].getWidth());
        }
        int gap = 4;
        BufferedImage sheet = new BufferedImage(5 * cell + 6 * gap, ids.size() * cell + (ids.size() + 1) * gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int r = 0; r < ids.size(); r++)
            for (int c = 0; c < 5; c++)
                if (tiles[r][c] != null)
                    g.drawImage(tiles[r][c], gap + c * (cell + gap), gap + r * (cell + gap), cell, cell, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(sheet, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
