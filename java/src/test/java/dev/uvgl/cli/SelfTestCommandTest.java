package dev.uvgl.cli;

import dev.uvgl.device.CudaProbe;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfTestCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test void quickSelftestOnTheEmulatorPassesWithExitZero() {
        Run r = run("selftest", "--device", "emu", "--quick");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS uvgl_gemm_bf16_f32"), r.out());
        assertTrue(r.out().contains("5 kernels, 0 failed"), r.out());
    }

    @Test void cudaWithoutAGpuIsSkippedWithTheReasonAndExitZero() {
        CudaProbe.Result probe = CudaProbe.run();
        if (probe.gpuPresent()) {
            System.out.println("SKIPPED: a GPU is present (" + probe.detail() + "), so selftest --device cuda runs instead of skipping");
            return;
        }
        Run r = run("selftest", "--device", "cuda", "--quick");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("SKIPPED: " + probe.detail()), r.out());
    }

    @Test void unknownDeviceIsAOneLineUsageError() {
        Run r = run("selftest", "--device", "gpu0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--device gpu0: selftest runs on auto, cuda or emu"), r.err());
    }

    @Test void infoShowsTheEmulatedDeviceUsable() {
        Run r = run("info");
        assertTrue(r.out().contains("  emu   usable: libuvgl_emu.so loaded, 5 kernels registered"), r.out());
    }

    @Test void staticKernelReportListsEveryKernel() {
        Run r = run("bench", "kernels", "--static");
        assertEquals(0, r.code(), r.err());
        for (String k : new String[] {"uvgl_fill_f32", "uvgl_layernorm_fwd_f32", "uvgl_gemm_bf16_f32"}) assertTrue(r.out().contains(k), r.out());
    }
}
