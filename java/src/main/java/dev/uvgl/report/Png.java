package dev.uvgl.report;

import dev.uvgl.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/** PNG files, written atomically, from charts and images drawn without a display. */
final class Png {
    static {
        // Charts are drawn on servers and in CI: never ask for a display (must be set before AWT starts).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Png() {}

    static void write(Path file, Chart<?, ?> chart) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    static void write(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) throw new IOException("no PNG writer in this JDK");
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Touching this class sets headless mode before any other AWT class loads. */
    static void headless() {}
}
