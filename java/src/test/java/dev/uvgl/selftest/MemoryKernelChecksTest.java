package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.device.KernelSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DMNIL memory kernels' self-test checks on the emulated device, full shapes, both schedule seeds: each must PASS.
 */
class MemoryKernelChecksTest {
    static List<KernelCheck> memoryChecks() {
        return SelfTest.checks().stream()
                .filter(c -> c.kernel().matches("uvgl_(memory|dhml|knn|neighbour)_.*")).toList();
    }

    @Test void everyMemoryKernelPassesItsCheckUnderTwoSchedules() {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load: " + lib.detail());
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        List<KernelCheck> checks = memoryChecks();
        assertTrue(checks.size() >= 5, "memory checks listed in SelfTest.checks(): " + checks.size());
        StringBuilder lines = new StringBuilder();
        boolean all = true;
        try (CachingAllocator alloc = new CachingAllocator(dev)) {
            for (KernelCheck check : checks) {
                KernelSignature sig = dev.registry().stream().filter(s -> s.name().equals(check.kernel())).findFirst()
                        .orElse(null);
                assertNotNull(sig, check.kernel() + " is not registered");
                assertTrue(sig.deterministic(), check.kernel() + " should be registered deterministic");
                SelfTest.Verdict v = SelfTest.runOne(dev, alloc, check, sig, false);
                lines.append(v.line()).append('\n');
                all &= v.pass() && v.line().contains("bitwise equal under seeds 1 and 2");
            }
        }
        System.out.print(lines);
        assertTrue(all, lines.toString());
    }

    @Test void everyRegisteredMemoryKernelHasACheck() {
        EmuDevice dev = EmuDevice.open(EmuDevice.Config.defaults());
        List<String> checked = memoryChecks().stream().map(KernelCheck::kernel).toList();
        for (KernelSignature s : dev.registry())
            if (s.name().matches("uvgl_(memory|dhml|knn|neighbour)_.*"))
                assertTrue(checked.contains(s.name()), s.name() + " has no check");
    }
}
