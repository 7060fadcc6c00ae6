package dev.uvgl.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** Which files count as images (by extension, any case), and a cheap header check that one can be decoded. */
public final class ImageProbe {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "tif", "tiff", "bmp");

    private ImageProbe() {}

    public static boolean isImageName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Null when a decoder recognises the file and reads a plausible size from its header, else why not. */
    public static String problem(Path p) {
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            if (in == null) return "cannot open";
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return "not a readable image format";
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                int w = r.getWidth(0), h = r.getHeight(0);
                return w > 0 && h > 0 ? null : "empty image";
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return "corrupt header (" + e.getMessage() + ")";
        }
    }
}
