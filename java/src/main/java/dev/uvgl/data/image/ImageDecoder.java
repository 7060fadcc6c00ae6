package dev.uvgl.data.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes JPEG/PNG/TIFF/BMP files (javax.imageio) to RGB; grey and palette images are expanded, alpha dropped.
 * A truncated JPEG is an error here although ImageIO only warns and fills the missing rows with grey:
 * such a file (an interrupted download) would otherwise train and evaluate as a half-grey picture.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** The image, or an IOException naming the file when it cannot be decoded. */
    public static RgbImage decode(Path file) throws IOException {
        BufferedImage img;
        List<String> warnings = new ArrayList<>();
        ImageInputStream opened;
        try {
            opened = ImageIO.createImageInputStream(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot decode " + file + ": cannot open it (" + e.getMessage() + ")", e);
        }
        try (ImageInputStream in = opened) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext())
                throw new IOException("cannot decode " + file + ": no decoder recognises it");
            ImageReader reader = readers.next();
            try {
                reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
                reader.setInput(in, true, true);
                img = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot decode " + file + ": " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
        for (String w : warnings)
            if (isTruncation(w))
                throw new IOException("cannot decode " + file + ": the file is truncated (" + w
                        + "); re-download or remove it");
        return fromBuffered(img);
    }

    /** Only truncation counts: other decoder warnings (extraneous bytes, odd ICC profiles) leave a usable picture. */
    static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
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
