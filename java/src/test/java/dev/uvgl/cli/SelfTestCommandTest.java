package dev.uvgl.cli;

import dev.uvgl.device.CudaProbe;
import dev.uvgl.selftest.SelfTest;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.Test;

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
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("SKIPPED: " + probe.detail()), r.out());
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
