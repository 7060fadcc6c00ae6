package dev.uvgl.data.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    @TempDir Path dir;

    Path jpeg() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(7);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        Path p = dir.resolve("a.jpg");
        ImageIO.write(img, "jpg", p.toFile());
        return p;
    }

    @Test void aWholeFileDecodesAsImageIoReadsIt() throws IOException {
        Path p = jpeg();
        RgbImage got = ImageDecoder.decode(p);
        assertArrayEquals(ImageDecoder.fromBuffered(ImageIO.read(p.toFile())).data(), got.data());
    }

    @Test void aTruncatedJpegIsAnErrorNotAGreyPicture() throws IOException {
        Path p = jpeg();
        byte[] whole = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertTrue(ImageIO.read(cut.toFile()) != null,
                "ImageIO alone accepts the truncated file, which is why the decoder checks");
        IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(cut));
        assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ImageDecoder.decode(dir.resolve("none.jpg")));
        assertTrue(missing.getMessage().contains("none.jpg"), missing.getMessage());
    }
}
