package dev.uvgl.device;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code outside the emulator's feature set must not build for it (README, "The CUDA kernels may use"):
 * compiles small kernels with the host compiler against kernels/emu/emu.h, as the emulator's build does.
 */
class EmuFeatureSetTest {
    static Path cudaInclude() throws Exception {
        for (String dir : new String[] {"/usr/local/cuda/include",
                System.getenv().getOrDefault("CUDA_HOME", "/none") + "/include"})
            if (Files.isRegularFile(Path.of(dir, "cuda_bf16.h"))) return Path.of(dir);
        Process p = new ProcessBuilder("sh", "-c", "command -v nvcc").start();
        String nvcc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Path inc = Path.of(nvcc).toAbsolutePath().toRealPath().getParent().resolveSibling("include");
        assertTrue(Files.isRegularFile(inc.resolve("cuda_bf16.h")),
                "no CUDA headers found: the emulator cannot be built here either");
        return inc;
    }

    static String compile(String source) throws Exception {
        Path file = Files.createTempFile("uvgl_feature", ".cu");
        Files.writeString(file, source);
        Process p = new ProcessBuilder("g++", "-std=c++17", "-fsyntax-only", "-x", "c++",
                "-I", cudaInclude().toString(),
                "-I", Path.of("../kernels").toAbsolutePath().toString(), file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Files.delete(file);
        assertNotEquals(0, p.exitValue(), "compiled, but must not:\n" + source);
        return out;
    }

    @Test void bareSharedDoesNotBuild() throws Exception {
        String out = compile("#include \"common.cuh\"\n"
                + "UVGL_KERNEL void k(float* o) { __shared__ float s[4]; s[0] = 1; o[0] = s[0]; }\n");
        assertTrue(out.contains("bare___shared___is_not_allowed_use_UVGL_SHARED"), out);
    }

    @Test void constantMemoryDoesNotBuild() throws Exception {
        String out = compile("#include \"common.cuh\"\n__constant__ float c[4];\n");
        assertTrue(out.contains("__constant___is_not_allowed_pass_a_pointer"), out);
    }

    @Test void kernelArgumentsOfOtherTypesDoNotRegister() throws Exception {
        String out = compile("#include \"common.cuh\"\n"
                + "UVGL_KERNEL void k(float* o, double d) { o[0] = (float)d; }\n"
                + "UVGL_REGISTER(k, true, \"out,-\", 0)\n");
        assertTrue(out.contains("kernel arguments are device pointers, int, long long or float"), out);
    }
}
