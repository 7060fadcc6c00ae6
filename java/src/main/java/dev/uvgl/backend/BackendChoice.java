package dev.uvgl.backend;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.CudaProbe;
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
            case "auto" -> new Choice(CpuBackend.INSTANCE, "auto: " + (probe.gpuPresent()
                    ? "GPU found (" + probe.detail() + ") but this build has no CUDA backend yet, so the CPU runs"
                    : probe.detail()));
            case "cuda" -> throw new UnavailableException("--device cuda: " + (probe.gpuPresent()
                    ? "this build has no CUDA backend yet; use --device cpu"
                    : probe.detail() + "; or use --device cpu"));
            case "emu" -> throw new UnavailableException("--device emu: " + (EmuLibrary.load().loaded()
                    ? "the emulated device loads (" + EmuLibrary.load().detail() + ") but this build has no CUDA backend to run ops on it yet; "
                      + "`selftest --device emu` runs its kernels; use --device cpu"
                    : EmuLibrary.load().detail() + "; use --device cpu"));
            default -> throw new UnavailableException("--device " + device + ": unknown device; use one of auto, cpu, cuda, emu");
        };
    }
}
