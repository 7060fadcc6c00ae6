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

    public static Choice choose(String device, CudaProbe.Result probe) {
        return switch (device) {
            case "cpu" -> new Choice(CpuBackend.INSTANCE, "asked for with --device cpu");
            // Not the GPU yet: the CUDA backend still lacks its convolution and GEMM kernels, which every model needs.
            case "auto" -> new Choice(CpuBackend.INSTANCE, "auto: " + (probe.gpuPresent()
                    ? "GPU found (" + probe.detail() + ") but the CUDA backend has no conv/GEMM kernels yet, so the CPU runs; --device cuda runs the rest"
                    : probe.detail()));
            case "cuda" -> cuda(probe);
            case "emu" -> emu();
            default -> throw new UnavailableException("--device " + device + ": unknown device; use one of auto, cpu, cuda, emu");
        };
    }

    private static Choice cuda(CudaProbe.Result probe) {
        if (!probe.gpuPresent()) throw new UnavailableException("--device cuda: " + probe.detail() + "; or use --device cpu");
        try {
            return new Choice(new CudaBackend(new CudaDevice()), "asked for with --device cuda: " + probe.detail());
        } catch (RuntimeException e) {
            throw new UnavailableException("--device cuda: the GPU did not open (" + e.getMessage() + "); use --device cpu");
        }
    }

    private static Choice emu() {
        EmuLibrary.State lib = EmuLibrary.load();
        if (!lib.loaded()) throw new UnavailableException("--device emu: " + lib.detail() + "; use --device cpu");
        return new Choice(new CudaBackend(EmuDevice.open(EmuDevice.Config.defaults())),
                "asked for with --device emu: the CUDA backend's kernels on the emulated device (slow; for checking)");
    }
}
