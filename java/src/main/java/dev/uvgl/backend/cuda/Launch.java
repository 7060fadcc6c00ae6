package dev.uvgl.backend.cuda;

import dev.uvgl.device.Device;
import dev.uvgl.device.KernelArgs;

/**
 * One kernel launch as an op family's launcher builds it from the op's sizes and addresses alone: its grid,
 * block and the one argument list the kernel is called with. The backend runs it on its tensors and the
 * self-test runs the very same launch on its own buffers, so the check covers what ships.
 */
public record Launch(String kernel, LaunchShape shape, KernelArgs args) {
    public void on(Device device) { device.launch(kernel, shape.grid(), shape.block(), 0, args); }
}
