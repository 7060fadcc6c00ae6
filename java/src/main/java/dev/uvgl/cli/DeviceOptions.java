package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.BackendChoice;
import dev.uvgl.device.CudaProbe;
import picocli.CommandLine.Option;

import java.util.List;

/** --device and --emu-memory: where a command runs (a picocli mixin of every command that runs the network). */
public final class DeviceOptions {
    @Option(names = "--device", defaultValue = "auto",
            description = "auto | cpu | cuda | emu: auto is the GPU when one is usable, else the CPU; "
            + "emu runs the CUDA kernels on the emulated device (slow, for checking) (default: ${DEFAULT-VALUE})")
    String device = "auto";

    @Option(names = "--emu-memory", paramLabel = "SIZE", defaultValue = ByteSize.EMU_DEFAULT,
            description = ByteSize.EMU_HELP, converter = ByteSize.Checked.class)
    String emuMemory = ByteSize.EMU_DEFAULT;

    /** The backend these options name, or a UserError with the device layer's reason. */
    public Backend backend() { return backend(device, emuMemory); }

    /** The same options for a command this one runs (demo runs train and eval). */
    List<String> args() { return List.of("--device", device, "--emu-memory", emuMemory); }

    /**
     * The backend --device names, or a UserError with the device
     * layer's reason (no GPU, no driver, no emulator library).
     */
    public static Backend backend(String device, String emuMemory) {
        long capacity = ByteSize.emuMemory(emuMemory);
        try {
            return BackendChoice.choose(device, device.equals("cpu") || device.equals("emu") ? null : CudaProbe.run(),
                    capacity).backend();
        } catch (BackendChoice.UnavailableException e) {
            throw new UserError(e.getMessage());
        }
    }
}
