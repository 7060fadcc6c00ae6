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
 * exit 1 on any FAIL, 0 with SKIPPED when no device is usable.
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
        CudaProbe.Result probe = null;
        if (!which.equals("emu")) {
            probe = CudaProbe.run();
            if (probe.gpuPresent()) which = "cuda";
            else if (which.equals("cuda")) { System.out.println("SKIPPED: " + probe.detail()); return 0; }
            else which = "emu";
        }
        if (which.equals("emu") && !EmuLibrary.load().loaded()) {
            System.out.println("SKIPPED: " + EmuLibrary.load().detail());
            return 0;
        }
        EmuDevice.Config emuConfig = EmuDevice.Config.defaults();
        emuConfig = emuConfig.withCapacity(capacity);
        Device dev;
        try {
            dev = which.equals("cuda") ? new CudaDevice() : EmuDevice.open(emuConfig);
        } catch (DeviceException e) {
            System.out.println("SKIPPED: " + e.getMessage());
            return 0;
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
}
