package dev.uvgl.cli;

import dev.uvgl.device.CudaProbe;
import dev.uvgl.selftest.SelfTest;
import dev.uvgl.testing.CliRun;
import dev.uvgl.testing.EngineProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfTestCommandTest {
    private static CliRun run(String... args) { return CliRun.of(args); }

    @Test void quickSelftestOnTheEmulatorPassesWithExitZero() {
        CliRun r = run("selftest", "--device", "emu", "--quick");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS uvgl_gemm_bf16_f32"), r.out());
        assertTrue(r.out().contains("\n" + SelfTest.checks().size() + " kernels, 0 failed"), r.out());
    }

    @Test void cudaWithoutAGpuIsSkippedWithTheReasonAndExitZero() {
        CudaProbe.Result probe = CudaProbe.run();
        if (probe.gpuPresent()) {
            System.out.println("SKIPPED: a GPU is present (" + probe.detail()
                    + "), so selftest --device cuda runs instead of skipping");
            return;
        }
        CliRun r = run("selftest", "--device", "cuda", "--quick");
        if (CudaProbe.driverEvidence() != null) {
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().startsWith("FAIL: " + CudaProbe.driverEvidence()), r.out());
            return;
        }
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("SKIPPED: " + probe.detail()), r.out());
    }

    /**
     * Where an NVIDIA driver is installed (here: an nvidia-smi on the PATH), a GPU that does not open is a FAIL
     * with dlopen's own reason, not a skip that would pass a broken GPU machine.
     */
    @Test void cudaThatDoesNotOpenWhereADriverIsInstalledFailsWithTheLoadersReason(@TempDir Path bin) throws Exception {
        if (CudaProbe.run().gpuPresent()) {
            System.out.println("SKIPPED: a GPU is present (" + CudaProbe.run().detail() + ")");
            return;
        }
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho fake\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = EngineProcess.command();
        cmd.addAll(List.of("selftest", "--device", "cuda", "--quick"));
        EngineProcess.Result r = EngineProcess.run(cmd, Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "LD_LIBRARY_PATH", ""), null, 2);
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().startsWith("FAIL: nvidia-smi is at " + smi + ", but CUDA is unusable: no CUDA driver: "
                + "JCuda could not load libcuda.so.1 (libcuda.so.1: cannot open shared object file: No such file or "
                + "directory); install the NVIDIA driver"), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
    }

    @Test void unknownDeviceIsAOneLineUsageError() {
        CliRun r = run("selftest", "--device", "gpu0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--device gpu0: selftest runs on auto, cuda or emu"), r.err());
    }

    @Test void infoShowsTheEmulatedDeviceUsable() {
        CliRun r = run("info");
        // Every registered kernel has exactly one check (selftest FAILs otherwise), so the counts agree.
        assertTrue(r.out().contains("  emu   usable: libuvgl_emu.so loaded, " + SelfTest.checks().size()
                + " kernels registered"), r.out());
    }

    @Test void staticKernelReportListsEveryKernel() {
        CliRun r = run("bench", "kernels", "--static");
        assertEquals(0, r.code(), r.err());
        for (String k : new String[] {"uvgl_fill_f32", "uvgl_layernorm_fwd_f32", "uvgl_gemm_bf16_f32"})
            assertTrue(r.out().contains(k), r.out());
    }
}
