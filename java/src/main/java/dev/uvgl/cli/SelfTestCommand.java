package dev.uvgl.cli;

import dev.uvgl.device.CudaDevice;
import dev.uvgl.device.CudaProbe;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceException;
import dev.uvgl.device.DeviceOutOfMemoryException;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.selftest.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * `selftest`: every registered kernel against its CPU op on a device;
 * exit 1 on any FAIL, 0 with SKIPPED when no device is usable (but 1 for --device cuda where a driver is installed).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check every CUDA kernel against its CPU reference on the GPU or the emulated device.",
        footer = {"", "Examples:", "  java -jar engine.jar selftest --device emu",
                "  java -jar engine.jar selftest --device cuda --quick"})
public final class SelfTestCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "auto",
            description = "auto (cuda if a GPU is usable, else emu) | cuda | emu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--quick", description = "fewer, smaller shapes")
    boolean quick;

    @Option(names = "--markdown",
            description = "print the README's kernel table (bounds and the errors measured here) at the end")
    boolean markdown;

    @Option(names = "--emu-memory", paramLabel = "SIZE", converter = ByteSize.Checked.class,
            description = "memory of the emulated device, e.g. 80G (an H100) or 1M (to see out-of-memory handling); "
                    + "default 4G")
    String emuMemory;

    @Override public Integer call() {
        long capacity = ByteSize.emuMemory(emuMemory);
        String which = device;
        if (!List.of("auto", "cuda", "emu").contains(which))
            throw new UserError("--device " + which + ": selftest runs on auto, cuda or emu");
        if (!which.equals("emu")) {
            CudaProbe.Result probe = CudaProbe.run();
            if (probe.gpuPresent()) which = "cuda";
            else if (which.equals("cuda")) return noGpu(probe.detail());
            else {
                String evidence = CudaProbe.driverEvidence();
                if (evidence != null)
                    System.out.println("note: " + evidence + ", but CUDA is unusable (" + probe.detail()
                            + "); checking the emulated device instead");
                which = "emu";
            }
        }
        if (which.equals("emu") && !EmuLibrary.load().loaded()) return skipped(EmuLibrary.load().detail());
        EmuDevice.Config emuConfig = EmuDevice.Config.defaults();
        emuConfig = emuConfig.withCapacity(capacity);
        Device dev;
        try {
            dev = which.equals("cuda") ? new CudaDevice() : EmuDevice.open(emuConfig);
        } catch (DeviceException e) {
            return which.equals("cuda") ? noGpu(e.getMessage()) : skipped(e.getMessage());
        }
        try (dev) {
            System.out.println("selftest on " + dev.name() + ": " + dev.describe() + (quick ? " (quick)" : ""));
            long t0 = System.nanoTime();
            List<SelfTest.Verdict> verdicts;
            try {
                verdicts = SelfTest.run(dev, quick, System.out);
            } catch (DeviceOutOfMemoryException e) {
                throw new DeviceOutOfMemoryException(e.getMessage() + (dev instanceof EmuDevice && emuMemory != null
                        ? " (the self-test needs more than --emu-memory " + emuMemory + ")" : ""));
            }
            long failed = verdicts.stream().filter(v -> !v.pass()).count();
            if (markdown) System.out.print(System.lineSeparator() + SelfTest.markdownTable(verdicts));
            System.out.printf("%d kernels, %d failed, %.1f s%n", verdicts.size(), failed,
                    (System.nanoTime() - t0) / 1e9);
            return failed == 0 ? 0 : 1;
        }
    }

    private static int skipped(String why) {
        System.out.println("SKIPPED: " + why);
        return 0;
    }

    /**
     * --device cuda without a usable GPU: SKIPPED on a machine without an NVIDIA driver, but FAIL where one is
     * installed, since there the GPU should work and a skip would hide that it does not.
     */
    private static int noGpu(String why) {
        String evidence = CudaProbe.driverEvidence();
        if (evidence == null) return skipped(why);
        System.out.println("FAIL: " + evidence + ", but CUDA is unusable: " + why);
        return 1;
    }
}
