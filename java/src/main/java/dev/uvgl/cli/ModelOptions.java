package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.model.checkpoint.ModelFiles;
import dev.uvgl.model.weights.WeightFileException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The options of every command that runs a network on images:
 * --checkpoint, --size, and the device options (a picocli mixin).
 */
public final class ModelOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "engine checkpoint, .safetensors weights (torchvision, timm or original ConvNeXt names), "
                    + "or aerial (the bundled pretrained backbone)")
    Path checkpoint;

    @Option(names = "--size", paramLabel = "PX",
            description = "input size, a multiple of 32 "
                    + "(default: the checkpoint's training size, 384 for a bare weights file)")
    Integer size;

    @Mixin DeviceOptions devices = new DeviceOptions();

    /** The network and the input size it runs at; bad input is a UserError. */
    public record Model(ModelFiles.Loaded loaded, int size, Backend backend) {}

    public Model load(String command) throws IOException {
        Backend be = devices.backend();
        ModelFiles.Loaded loaded;
        try {
            loaded = ModelFiles.load(checkpoint, be, System.err::println);
        } catch (WeightFileException e) {
            throw new UserError(e.getMessage());
        }
        int px = size != null ? size : loaded.trainingSize().orElse(384);
        if (px < 32 || px % 32 != 0)
            throw new UserError("--size " + px + " is not a positive multiple of 32; ConvNeXt downsamples by 32");
        return new Model(loaded, px, be);
    }
}
