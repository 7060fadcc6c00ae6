package dev.uvgl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.SafeTensors;
import dev.uvgl.tensor.DType;
import dev.uvgl.testing.CliRun;
import dev.uvgl.util.AtomicFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input a user can give the existing commands: one line naming the problem and the fix,
 * and a non-zero exit (2 for input, 1 for a failure while running). Covered elsewhere already:
 * a missing data or image folder and an empty image folder (EvalCommandTest, FeaturesCommandTest),
 * a truncated safetensors file (FeaturesCommandTest), bad cluster options (ClusterCommandTest).
 */
class BadInputCommandTest {
    static final ConvNeXtConfig TOY = new ConvNeXtConfig("toy", new int[] {1, 1, 1, 1}, new int[] {8, 8, 16, 16});
    @TempDir static Path dir;
    static Path world, weights, photos;

    @BeforeAll static void setUp() throws IOException {
        world = dir.resolve("world");
        CliRun synth = CliRun.of("synth", "--out", world.toString(), "--places", "3", "--drones-per-place", "8",
                "--size", "64", "--seed", "9");
        assertEquals(0, synth.code(), synth.err());
        weights = dir.resolve("toy.safetensors");
        ConvNeXtWeights.save(new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 3), weights);
        photos = world.resolve("test/gallery_satellite");
    }

    /** The exit code, and one error line (the last on stderr; progress lines may come before it) holding every part. */
    static void assertOneLine(CliRun r, int code, String... parts) {
        assertEquals(code, r.code(), r.err());
        java.util.List<String> errors = r.err().strip().lines().filter(l -> l.startsWith("error")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        String err = errors.get(0);
        assertTrue(r.err().strip().endsWith(err), "the error is the last line: " + r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace: " + r.err());
        for (String p : parts) assertTrue(err.contains(p), "'" + p + "' in: " + err);
    }

    static Path copyWorld(String name) throws IOException {
        Path to = dir.resolve(name);
        try (Stream<Path> s = Files.walk(world)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(world.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }

    CliRun eval(Path data, String... more) {
        String[] base = {"eval", "--data", data.toString(), "--checkpoint", weights.toString(), "--size", "64",
                "--direction", "d2s"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test void aDatasetFolderWithoutImages() throws IOException {
        Path empty = dir.resolve("empty-world");
        Files.createDirectories(empty.resolve("train/drone/0001"));
        Files.createDirectories(empty.resolve("test/query_drone/0002"));
        assertOneLine(eval(empty), 2, "holds no readable images", "University-1652: train/drone/<id>/*");
    }

    @Test void aFolderInNoKnownLayout() throws IOException {
        Path wrong = dir.resolve("holiday");
        Files.createDirectories(wrong.resolve("photos"));
        Files.copy(world.resolve("test/gallery_satellite/0004/0004.jpg"), wrong.resolve("photos/a.jpg"));
        assertOneLine(eval(wrong), 2, "not a dataset folder in a known layout", "University-1652", "SUES-200",
                "DenseUAV");
    }

    @Test void corruptImagesInADatasetAreSkippedAndCounted() throws IOException {
        Path w = copyWorld("corrupt-world");
        Files.writeString(w.resolve("test/query_drone/0004/image-03.jpeg"), "not an image");
        Path tile = w.resolve("test/gallery_satellite/0005/0005.jpg");
        byte[] whole = Files.readAllBytes(tile);
        Files.write(tile, Arrays.copyOf(whole, whole.length / 2));  // header intact, data cut: an interrupted download
        CliRun r = eval(w);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("image-03.jpeg") && r.err().contains("0005.jpg: the file is truncated"), r.err());
        assertTrue(r.out().contains("2 unreadable images skipped"), r.out());
        assertTrue(r.out().matches("(?s).*drone->satellite\\s+23\\s+3\\s.*"),
                "the truncated tile is not ranked: " + r.out());
    }

    @Test void aCheckpointWhoseWeightsAreNotTheModelItNames() throws IOException {
        Path ckpt = dir.resolve("mixed.ckpt");
        var atto = ConvNeXtWeights.export(new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 1));
        CheckpointFile.write(ckpt,
                Checkpoint.ofWeights(atto, new ObjectMapper().readTree("{\"model\": \"femto\", \"size\": 64}")));
        assertOneLine(CliRun.of("features", "--checkpoint", ckpt.toString(), "--images", photos.toString(),
                "--out", dir.resolve("f.npy").toString()),
                2, "config says model femto but its weights are atto");

        Map<String, HostArray> bent = new LinkedHashMap<>(ConvNeXtWeights.export(
                new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 1)));
        bent.put("stages.1.0.pwconv1.weight", new HostArray(new int[] {48, 8}, new float[48 * 8]));
        Path odd = dir.resolve("odd.safetensors");
        SafeTensors.write(odd, bent, Map.of());
        assertOneLine(CliRun.of("eval", "--data", world.toString(), "--checkpoint", odd.toString(), "--size", "64"),
                2, "stages.1.0.pwconv1.weight", "[48, 8]", "[32, 8]");
    }

    @Test void aTruncatedEngineCheckpoint() throws IOException {
        Path ckpt = dir.resolve("whole.ckpt"), cut = dir.resolve("cut.ckpt");
        CheckpointFile.write(ckpt,
                Checkpoint.ofWeights(ConvNeXtWeights.export(new ConvNeXt(TOY, CpuBackend.INSTANCE, DType.F32, 1)),
                new ObjectMapper().readTree("{\"size\": 64}")));
        byte[] b = Files.readAllBytes(ckpt);
        Files.write(cut, Arrays.copyOf(b, b.length * 2 / 3));
        assertOneLine(CliRun.of("eval", "--data", world.toString(), "--checkpoint", cut.toString()), 2,
                "cut.ckpt is truncated", "use the previous one");
    }

    @Test void aGpsFileWithABadRowNamesFileLineAndFix() throws IOException {
        Path w = copyWorld("badgps-world");
        Path csv = w.resolve("gps.csv");
        var lines = new java.util.ArrayList<>(Files.readAllLines(csv));
        lines.set(4, lines.get(4).replaceFirst(",[^,]*,", ",ninety,"));
        Files.write(csv, lines);
        assertOneLine(eval(w), 2, csv.toString() + " line 5", "ninety", "fix or delete that row");
    }

    @Test void cudaWithoutAGpuOrABackendSuggestsTheCpu() {
        assertOneLine(eval(world, "--device", "cuda"), 2, "--device cuda", "--device cpu");
        assertOneLine(CliRun.of("features", "--checkpoint", weights.toString(), "--images", photos.toString(),
                "--out", dir.resolve("g.npy").toString(),
                "--device", "quantum"), 2, "unknown device", "auto, cpu, cuda, emu");
    }

    @Test void aFullDiskWhileWritingFeaturesKeepsThePreviousFile() throws Exception {
        Path out = dir.resolve("features.npy");
        String[] args = {"features", "--checkpoint", weights.toString(), "--images", photos.toString(),
                "--out", out.toString(), "--size", "32"};
        assertEquals(0, CliRun.of(args).code());
        byte[] before = Files.readAllBytes(out);
        CliRun full;
        try (AutoCloseable seam = AtomicFiles.filterWritesForTest(w -> ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[64]));
            throw new IOException("No space left on device");
        })) {
            full = CliRun.of(args);
        }
        assertOneLine(full, 1, "could not write " + out, "No space left on device",
                "free space on the disk holding " + dir.toAbsolutePath(), "intact");
        assertArrayEquals(before, Files.readAllBytes(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test void aMistypedOrMissingOptionIsOneLinePointingToHelp() {
        assertOneLine(CliRun.of("eval", "--data", world.toString(), "--checkpoint", weights.toString(), "--tpo", "3"),
                2, "Unknown options: '--tpo'", "see `java -jar engine.jar eval --help`");
        assertOneLine(CliRun.of("features", "--images", photos.toString()), 2, "Missing required options",
                "--checkpoint", "--out");
        assertOneLine(CliRun.of("locate", "--checkpoint", weights.toString(), "--gallery", photos.toString(),
                "--image", "a.jpg", "--images", "b"),
                2, "--image=PHOTO, --images=DIR are mutually exclusive", "engine.jar locate --help");
    }

    @Test void outOfMemoryOnTheEmulatedDeviceIsOneLine() {
        Assumptions.assumeTrue(EmuLibrary.load().loaded(),
                "needs the emulated device library: " + EmuLibrary.load().detail());
        CliRun r = CliRun.of("selftest", "--device", "emu", "--quick", "--emu-memory", "64K");
        assertOneLine(r, 1, "out of emu memory", "bytes free of 65536", "--emu-memory 64K");
        assertTrue(!r.out().contains("FAIL"), "running out of memory is not a kernel failure: " + r.out());
        assertOneLine(CliRun.of("selftest", "--device", "emu", "--emu-memory", "lots"), 2,
                "--emu-memory lots is not a size");
    }

    @Test void aBadEmuMemorySizeIsOneLineOnEveryCommandWithADevice() {
        String[][] commands = {
                {"train", "--data", "nowhere"}, {"eval", "--data", "nowhere", "--checkpoint", "x"}, {"features",
                        "--checkpoint", "x", "--images", "y", "--out", "z"},
                {"locate", "--checkpoint", "x", "--gallery", "y", "--image", "z"}, {"info"}, {"selftest"}, {"demo",
                        "--out", "nowhere"},
                {"bench", "kernels"}, {"bench", "train-step"}, {"bench", "cluster"}};
        for (String[] c : commands) {
            String[] args = Arrays.copyOf(c, c.length + 2);
            args[c.length] = "--emu-memory";
            args[c.length + 1] = "lots";
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("--emu-memory lots is not a size; write bytes or a number with K, M or G, "
                    + "e.g. 512M"),
                    String.join(" ", c) + ": " + r.err());
        }
    }
}
