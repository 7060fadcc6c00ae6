package dev.uvgl.data.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Decodes JPEG/PNG/TIFF/BMP files (javax.imageio) to RGB; grey and palette images are expanded, alpha dropped. */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** The image, or an IOException naming the file when it cannot be decoded. */
    public static RgbImage decode(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IOException("cannot decode " + file + ": no decoder recognises it");
        return fromBuffered(img);
    }

    public static RgbImage fromBuffered(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[3 * i] = (p >> 16) & 255;
            out[3 * i + 1] = (p >> 8) & 255;
            out[3 * i + 2] = p & 255;
        }
        return new RgbImage(w, h, out);
    }
}
