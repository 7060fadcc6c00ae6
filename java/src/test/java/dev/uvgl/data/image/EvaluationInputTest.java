package dev.uvgl.data.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvaluationInputTest {
    @TempDir Path dir;

    /** A file as the embedding service feeds it to the network: decoded, the evaluation transform at 32 px. */
    static float[] load(Path f) throws IOException {
        float[] out = new float[32 * 32 * 3];
        FeatureTransform.evaluation(32).into(ImageDecoder.decode(f), out, 0);
        return out;
    }

    @Test void loadNormalisesWithImageNetStatistics() throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) img.setRGB(x, y, (255 << 16) | (128 << 8));
        Path f = dir.resolve("a.png");
        ImageIO.write(img, "png", f.toFile());
        float[] px = load(f);
        assertEquals((1f - 0.485f) / 0.229f, px[0], 1e-6);
        assertEquals((128 / 255f - 0.456f) / 0.224f, px[1], 1e-6);
        assertEquals((0f - 0.406f) / 0.225f, px[2], 1e-6);
    }

    @Test void undecodableFilesAreIOExceptions() throws IOException {
        Path f = dir.resolve("broken.jpg");
        Files.writeString(f, "not a jpeg");
        assertThrows(IOException.class, () -> load(f));
    }

    @Test void folderListingIsRecursiveSortedAndByExtension() throws IOException {
        Files.createDirectories(dir.resolve("b"));
        for (String n : List.of("b/2.PNG", "a.jpg", "b/1.jpeg", "notes.txt", "c.bmp"))
            Files.writeString(dir.resolve(n), "x");
        assertEquals(List.of("a.jpg", "b/1.jpeg", "b/2.PNG", "c.bmp"),
                ImageFolder.list(dir).stream().map(Path::toString).toList());
    }
}
