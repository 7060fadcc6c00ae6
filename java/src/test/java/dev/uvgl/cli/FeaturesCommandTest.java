package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.data.image.ImageDecoder;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.util.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturesCommandTest {
    static final ConvNeXtConfig TOY = new ConvNeXtConfig("toy", new int[] {1, 1, 1, 1}, new int[] {8, 8, 16, 16});
    @TempDir Path dir;
    Path weights, images;
    ConvNeXt model;

    @BeforeEach void setUp() throws IOException {
        model = new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 4);
        model.namedParameters().forEach((k, p) -> {
            if (k.endsWith("gamma")) p.set(CpuBackend.INSTANCE.full(p.value().shape(), DType.F32, 0.5));
        });
        weights = dir.resolve("toy.safetensors");
        ConvNeXtWeights.save(model, weights);
        images = dir.resolve("imgs");
        Files.createDirectories(images.resolve("sub"));
        Random r = new Random(3);
        for (String name : List.of("sub/b.png", "a.png", "c.jpg")) {
            BufferedImage img = new BufferedImage(name.equals("c.jpg") ? 40 : 32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, r.nextInt(1 << 24));
            ImageIO.write(img, name.endsWith("png") ? "png" : "jpg", images.resolve(name).toFile());
        }
        Files.writeString(images.resolve("broken.png"), "not an image");
    }

    record Run(int code, String err) {}

    static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return new Run(Main.run(args), buf.toString());
        } finally {
            System.setErr(old);
        }
    }

    @Test void writesEmbeddingsInSortedPathOrderAndSkipsCorruptImages() throws IOException {
        Path out = dir.resolve("f.npy");
        Run r = run("features", "--checkpoint", weights.toString(), "--images", images.toString(),
                "--out", out.toString(), "--size", "32");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("skipping broken.png") && r.err.contains("skipped 1"), r.err);
        assertEquals(List.of("a.png", "c.jpg", "sub/b.png"), Files.readAllLines(Path.of(out + ".txt")));
        Npy.Floats f = Npy.readFloats(out);
        assertArrayEquals(new int[] {3, 16}, f.shape());
        // Row 0 is a.png (already 32 px: no resampling) through the model directly.
        float[] px = new float[32 * 32 * 3];
        FeatureTransform.evaluation(32).into(ImageDecoder.decode(images.resolve("a.png")), px, 0);
        float[] want = model.eval().forward(CpuBackend.INSTANCE.fromArray(px, Shape.of(1, 32, 32, 3))).toFloatArray();
        assertArrayEquals(want, Arrays.copyOf(f.data(), 16), 1e-5f);
    }

    @Test void flipAverageChangesTheFeatures() throws IOException {
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy");
        assertEquals(0, run("features", "--checkpoint", weights.toString(), "--images", images.toString(),
                "--out", a.toString(), "--size", "32").code);
        assertEquals(0, run("features", "--checkpoint", weights.toString(), "--images", images.toString(),
                "--out", b.toString(), "--size", "32", "--flip-average").code);
        assertTrue(!Arrays.equals(Npy.readFloats(a).data(), Npy.readFloats(b).data()));
    }

    @Test void badInputIsOneLineWithExit2() throws IOException {
        Path out = dir.resolve("x.npy");
        Run missing = run("features", "--checkpoint", weights.toString(), "--images", dir.resolve("nope").toString(),
                "--out", out.toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("does not exist"), missing.err);
        Files.createDirectories(dir.resolve("empty"));
        Run empty = run("features", "--checkpoint", weights.toString(), "--images", dir.resolve("empty").toString(),
                "--out", out.toString());
        assertEquals(2, empty.code);
        assertTrue(empty.err.contains("no images"), empty.err);
        Path cut = dir.resolve("cut.safetensors");
        byte[] w = Files.readAllBytes(weights);
        Files.write(cut, Arrays.copyOf(w, w.length - 100));
        Run trunc = run("features", "--checkpoint", cut.toString(), "--images", images.toString(),
                "--out", out.toString(), "--size", "32");
        assertEquals(2, trunc.code);
        assertTrue(trunc.err.contains("truncated") && trunc.err.lines().count() == 1, trunc.err);
        Run size = run("features", "--checkpoint", weights.toString(), "--images", images.toString(),
                "--out", out.toString(), "--size", "50");
        assertEquals(2, size.code);
        assertTrue(!Files.exists(out), "no output written on error");
    }
}
