package dev.uvgl.selftest;

import dev.uvgl.device.CudaProbe;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.device.PtxasReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `selftest --device cuda` applies the rule "every launchable kernel has a check" to the fatbins' kernels
 * (CudaDevice.kernelNames reads the jar's ptxas reports, no GPU needed), so this checks, without a GPU, that
 * those names are exactly the emulator's registry and the checks', and that the rule fails an extra kernel.
 */
class RegistrationRuleTest {
    private static Set<String> checkNames() {
        return SelfTest.checks().stream().map(KernelCheck::kernel).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test void theFatbinsHoldExactlyTheCheckedKernels() {
        Assumptions.assumeFalse(CudaProbe.fatbinsInJar().isEmpty(), "SKIPPED: no fatbins in this build (no nvcc)");
        assertEquals(checkNames(), new TreeSet<>(PtxasReport.kernelNamesInJar()), "fatbin kernels vs KernelChecks");
    }

    @Test void theEmulatorRegistersTheSameKernelsAsTheFatbins() {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load in CI: " + lib.detail());
        List<String> emu = EmuDevice.open(EmuDevice.Config.defaults()).kernelNames();
        assertEquals(new TreeSet<>(PtxasReport.kernelNamesInJar()), new TreeSet<>(emu));
    }

    @Test void aLaunchableKernelWithoutACheckFails() {
        Set<String> launchable = new LinkedHashSet<>(checkNames());
        launchable.add("uvgl_new_kernel_f32");
        List<SelfTest.Verdict> v = SelfTest.unchecked(launchable, checkNames(), "cuda");
        assertEquals(1, v.size());
        assertFalse(v.get(0).pass());
        assertTrue(v.get(0).line().contains("uvgl_new_kernel_f32") && v.get(0).line().contains("no self-test"),
                v.get(0).line());
        assertTrue(SelfTest.unchecked(checkNames(), checkNames(), "cuda").isEmpty());
    }
}
