package dev.uvgl.cli;

import dev.uvgl.backend.BackendChoice;
import dev.uvgl.backend.cpu.Blas;
import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.device.CudaProbe;
import dev.uvgl.device.EmuLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `info`: versions, the backend --device picks and why, the state of every device, the kernels in the jar. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print versions, the backend chosen and why, GPU, kernels, CPU threads and BLAS.",
        footer = {"", "Examples:", "  java -jar engine.jar info", "  java -jar engine.jar info --device cpu"})
public final class InfoCommand implements Runnable {
    @Mixin DeviceOptions devices = new DeviceOptions();

    @Override public void run() {
        long capacity = ByteSize.emuMemory(devices.emuMemory);
        CudaProbe.Result probe = CudaProbe.run();
        BackendChoice.Choice choice;
        try {
            choice = BackendChoice.choose(devices.device, probe, capacity);
        } catch (BackendChoice.UnavailableException e) {
            throw new UserError(e.getMessage());
        }
        var out = System.out;
        out.println("UVGL Engine " + Version.get());
        out.println("java:    " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " CPU threads, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        out.println("backend: " + choice.backend().name() + " (" + choice.reason() + ")");
        out.println("devices:");
        out.println("  cpu   usable: " + Parallel.threads() + " op threads; GEMM " + Blas.describe());
        out.println("  cuda  " + (probe.gpuPresent()
                ? "GPU " + probe.detail() + "; CUDA backend: every op on our kernels" : "unusable: " + probe.detail()));
        EmuLibrary.State emu = EmuLibrary.load();
        out.println("  emu   " + (emu.loaded() ? "usable: " + emu.detail()
                + " (selftest --device emu; never picked by auto)" : "unusable: " + emu.detail()));
        out.println("kernels: " + (probe.fatbins().isEmpty()
                ? "none in this jar (built without nvcc)"
                : probe.fatbins().size() + " fatbins (sm_90 SASS + compute_80 PTX): "
                + String.join(", ", probe.fatbins())));
        // cuBLAS/cuDNN would be optional fast paths where their libraries load; JCublas/JCudnn are not among the
        // packages this build can fetch, and the lent H100 machines have CUDA 13 without them, so none is probed yet.
        out.println("GEMM on cuda: our wmma BF16 (tensor cores) and FP32 kernels; "
                + "cuBLAS/cuDNN fast paths: not built (no JCublas/JCudnn package)");
    }
}
