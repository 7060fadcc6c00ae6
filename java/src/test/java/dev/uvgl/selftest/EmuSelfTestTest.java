package dev.uvgl.selftest;

import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full self-test on the emulated device, as CI runs it: never skipped, every kernel must PASS. */
class EmuSelfTestTest {
    @Test void everyRegisteredKernelPassesOnTheEmulator() {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load in CI: " + lib.detail());
        var bytes = new ByteArrayOutputStream();
        List<SelfTest.Verdict> verdicts = SelfTest.run(EmuDevice.open(EmuDevice.Config.defaults()), false,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(verdicts.isEmpty(), out);
        for (SelfTest.Verdict v : verdicts) assertTrue(v.pass(), out);
        for (String k : List.of("uvgl_fill_f32", "uvgl_copy_f32", "uvgl_axpy_f32", "uvgl_layernorm_fwd_f32",
                "uvgl_gemm_bf16_f32"))
            assertTrue(out.contains("PASS " + k), "no PASS line for " + k + " in\n" + out);
        assertTrue(out.contains("bitwise equal under seeds 1 and 2"), out);
    }

    @Test void bitwiseComparisonFindsTheFirstDifference() {
        assertEquals(-1, SelfTest.firstBitwiseDifference(new float[] {1, Float.NaN}, new float[] {1, Float.NaN}));
        assertEquals(1, SelfTest.firstBitwiseDifference(new float[] {1, 0f}, new float[] {1, -0f}));
    }

    @Test void nanOutputIsAnInfiniteError() {
        assertEquals(Double.POSITIVE_INFINITY, KernelCheck.maxRelError(new float[] {Float.NaN}, new float[] {1}, 1));
    }
}
