package dev.uvgl.backend;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.device.CudaDevice;
import dev.uvgl.device.CudaProbe;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;

/** Turns --device auto|cpu|cuda|emu into a backend, with the reason, or a one-line error naming the fix. */
public final class BackendChoice {
    public record Choice(Backend backend, String reason) {}

    /** Bad --device values and devices that cannot run here. */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) { super(message); }
    }

    private BackendChoice() {}

    public static Choice choose(String device, CudaProbe.Result probe) { return choose(device, probe,
            EmuDevice.Config.defaults().capacityBytes()); }

    /** As above, with the emulated device's memory (--emu-memory) when `emu` is chosen. */
    public static Choice choose(String device, CudaProbe.Result probe, long emuCapacityBytes) {
        return switch (device) {
            case "cpu" -> new Choice(CpuBackend.INSTANCE, "asked for with --device cpu");
            case "auto" -> auto(probe);
            case "cuda" -> cuda(probe);
            case "emu" -> emu(emuCapacityBytes);
            default -> throw new UnavailableException("--device " + device
                    + ": unknown device; use one of auto, cpu, cuda, emu");
        };
    }

    /** The GPU when one is present and opens, else the CPU; the reason says which and why. */
    private static Choice auto(CudaProbe.Result probe) {
        if (probe == null || !probe.gpuPresent())
            return new Choice(CpuBackend.INSTANCE,
                    "auto: " + (probe == null ? "no probe" : probe.detail()) + ", so the CPU runs");
        try {
            return new Choice(new CudaBackend(new CudaDevice()), "auto: GPU found (" + probe.detail() + ")");
        } catch (RuntimeException e) {
            return new Choice(CpuBackend.INSTANCE,
                    "auto: GPU found but it did not open (" + e.getMessage() + "), so the CPU runs");
        }
    }

    private static Choice cuda(CudaProbe.Result probe) {
        if (!probe.gpuPresent())
            throw new UnavailableException("--device cuda: " + probe.detail() + "; or use --device cpu");
        try {
            return new Choice(new CudaBackend(new CudaDevice()), "asked for with --device cuda: " + probe.detail());
        } catch (RuntimeException e) {
            throw new UnavailableException("--device cuda: the GPU did not open (" + e.getMessage()
                    + "); use --device cpu");
        }
    }

    private static Choice emu(long capacityBytes) {
        EmuLibrary.State lib = EmuLibrary.load();
        if (!lib.loaded()) throw new UnavailableException("--device emu: " + lib.detail() + "; use --device cpu");
        return new Choice(new CudaBackend(EmuDevice.open(EmuDevice.Config.defaults().withCapacity(capacityBytes))),
                "asked for with --device emu: the CUDA backend's kernels on the emulated device with "
                        + (capacityBytes >> 20)
                        + " MiB (slow; for checking)");
    }
}
