package dev.uvgl.data.synth;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes rendered images (interleaved 0..255 RGB floats) as JPEG
 * bytes at a fixed quality, so equal pixels give equal files.
 */
final class ImageFiles {
    static final float QUALITY = 0.92f;

    private ImageFiles() {}

    static BufferedImage toImage(float[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                img.setRGB(x, y, (MapPainter.clamp(rgb[o]) << 16) | (MapPainter.clamp(rgb[o + 1]) << 8)
                        | MapPainter.clamp(rgb[o + 2]));
            }
        }
        return img;
    }

    static byte[] encodeJpeg(float[] rgb, int w, int h) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(toImage(rgb, w, h), null, null), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }
}
