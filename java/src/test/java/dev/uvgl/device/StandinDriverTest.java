package dev.uvgl.device;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.tensor.DType;
import dev.uvgl.testing.EngineProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend's host side at full scale against the stand-in libcuda.so.1 (kernels/standin): every launch
 * of a ConvNeXt-tiny training step at 384 px, batch 64 (BF16 and FP32) and of feature extraction at 384 px,
 * batch 32 must keep within sm_90's limits and run with a current context, which the emulator is too slow to
 * show. No kernel runs, so only the host side is proven: shapes, grids, argument lists, memory and streams. The
 * build makes the stand-in whenever it makes the fatbins; its absence is a failure, not a skip.
 */
class StandinDriverTest {
    static final Path LIBRARY_DIR = Path.of("target/cmake/standin");
    static final Pattern SUMMARY = Pattern.compile("uvgl stand-in driver: (\\d+) launches, (\\d+) refused");
    @TempDir static Path dir;

    @BeforeAll static void standinIsBuilt() {
        assertTrue(Files.isRegularFile(LIBRARY_DIR.resolve("libcuda.so.1")), LIBRARY_DIR.toAbsolutePath()
                + "/libcuda.so.1 missing: kernels/build.sh builds it with the fatbins (needs cmake and nvcc)");
    }

    static EngineProcess.Result engine(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = EngineProcess.command();
        cmd.set(1, "-Xmx3g");
        cmd.addAll(List.of(args));
        return EngineProcess.run(cmd, env(extraEnv), null, 10);
    }

    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("LD_LIBRARY_PATH", LIBRARY_DIR.toAbsolutePath().toString());
        env.put("UVGL_STANDIN_SUMMARY", "1");
        return env;
    }

    /** The launches the engine made on the stand-in (its last summary line), after asserting none was refused. */
    static long acceptedLaunches(EngineProcess.Result r) {
        Matcher m = SUMMARY.matcher(r.output());
        long launches = -1, refused = -1;
        while (m.find()) {
            launches = Long.parseLong(m.group(1));
            refused = Long.parseLong(m.group(2));
        }
        assertEquals(0, refused, r.output());
        return launches;
    }

    @Test void aConvNeXtTinyTrainingStepAt384PxBatch64KeepsEveryLaunchWithinSm90Limits() throws Exception {
        for (String precision : List.of("bf16", "fp32")) {
            EngineProcess.Result r = engine(Map.of(), "bench", "train-step", "--device", "cuda", "--model", "tiny",
                    "--size", "384", "--batch", "64", "--precision", precision, "--steps", "1", "--warmup", "0");
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains("engine  cuda tiny 384px batch 64, " + precision), r.output());
            assertTrue(acceptedLaunches(r) > 500, "a step is hundreds of launches:\n" + r.output());
        }
    }

    @Test void featureExtractionAt384PxBatch32KeepsEveryLaunchWithinSm90Limits() throws Exception {
        Path weights = dir.resolve("tiny.safetensors"), images = dir.resolve("images");
        ConvNeXtWeights.save(new ConvNeXt(ConvNeXtConfig.TINY, CpuBackend.INSTANCE, DType.F32, 7), weights);
        Files.createDirectories(images);
        BufferedImage img = new BufferedImage(384, 384, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 40; i++) {
            for (int y = 0; y < 384; y++) for (int x = 0; x < 384; x++) img.setRGB(x, y, (x * 7 + y * 3 + i) << 8);
            ImageIO.write(img, "png", images.resolve(String.format("%02d.png", i)).toFile());
        }
        Path out = dir.resolve("f.npy");
        EngineProcess.Result r = engine(Map.of(), "features", "--checkpoint", weights.toString(), "--images",
                images.toString(), "--out", out.toString(), "--device", "cuda", "--size", "384", "--batch", "32");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("features: 40 images"), r.output());
        assertTrue(acceptedLaunches(r) > 100, r.output());
        assertTrue(Files.size(out) > 40 * 768 * 4, r.output());
    }

    /** The check must be able to fail: a launch over the kernel's launch bound is refused and named. */
    @Test void aLaunchOverItsLaunchBoundIsRefusedWithKernelGridAndBlock() throws Exception {
        String report = scenario("over-launch-bounds");
        assertTrue(report.contains("kernel uvgl_gelu_f32 (grid 2x1x1, block 512x1x1, 0 B dynamic shared) did not "
                + "launch: CUDA_ERROR_INVALID_VALUE; the kernel allows 256 threads a block"), report);
    }

    @Test void aLaunchWithoutACurrentContextIsRefused() throws Exception {
        assertEquals("CUDA_ERROR_INVALID_CONTEXT", scenario("no-context"));
    }

    @Test void theStandinReadsEachKernelsRegistersAndSharedMemoryAsPtxasReportedThem() throws Exception {
        String report = scenario("attributes");
        assertTrue(report.matches("\\d+ kernels, differences: none"), report);
        assertNotEquals(0, Integer.parseInt(report.split(" ")[0]));
    }

    /** A refused launch in the self-test is that kernel's FAIL, named with its launch; every other check still runs. */
    @Test void theSelfTestRecordsARefusedLaunchAsThatKernelsFailAndGoesOn() throws Exception {
        EngineProcess.Result r = engine(Map.of("UVGL_STANDIN_FAIL_KERNEL", "uvgl_layernorm_fwd_f32"), "selftest",
                "--device", "cuda", "--quick");
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().matches("(?s).*\nFAIL uvgl_layernorm_fwd_f32: kernel uvgl_layernorm_fwd_f32 \\(grid "
                + "\\d+x1x1, block \\d+x1x1, 0 B dynamic shared\\) did not launch: CUDA_ERROR_INVALID_VALUE.*"),
                r.output());
        int kernels = 0;
        for (String line : r.output().split("\n")) if (line.startsWith("FAIL ") || line.startsWith("PASS ")) kernels++;
        assertTrue(r.output().contains(kernels + " kernels, " + kernels + " failed"), r.output());
        assertTrue(kernels > 50, r.output());
    }

    /** bench train-step names the refused kernel in one line, without a Java class name. */
    @Test void aRefusedLaunchInATrainingStepIsOneLineNamingTheKernel() throws Exception {
        EngineProcess.Result r = engine(Map.of("UVGL_STANDIN_FAIL_KERNEL", "uvgl_gemm_bf16_f32"), "bench",
                "train-step", "--device", "cuda", "--model", "atto", "--size", "64", "--batch", "2", "--precision",
                "bf16", "--steps", "1", "--warmup", "0");
        assertEquals(1, r.code(), r.output());
        List<String> errors = new ArrayList<>();
        for (String line : r.output().split("\n")) if (line.startsWith("error: ")) errors.add(line);
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).startsWith("error: kernel uvgl_gemm_bf16_f32 (grid "), errors.get(0));
        assertTrue(!errors.get(0).contains("Exception"), errors.get(0));
    }

    static String scenario(String name) throws Exception {
        List<String> cmd = new ArrayList<>(EngineProcess.command());
        cmd.set(cmd.size() - 1, StandinScenarios.class.getName());
        cmd.add(name);
        EngineProcess.Result r = EngineProcess.run(cmd, env(Map.of()), null, 2);
        assertEquals(0, r.code(), r.output());
        int at = r.output().indexOf("REPORT: ");
        assertTrue(at >= 0, r.output());
        return r.output().substring(at + 8).lines().findFirst().orElse("").trim();
    }
}
