package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.image.ImageFolder;
import dev.uvgl.image.ImagePreprocessor;
import dev.uvgl.model.FeatureExtractor;
import dev.uvgl.model.checkpoint.ModelFiles;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.util.AtomicFiles;
import dev.uvgl.util.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `features`: embeddings of every image under a folder, in sorted path order, to a .npy file plus a .npy.txt list of paths. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Embeddings (LayerNorm of the pooled last stage, not L2-normalised) of every image under DIR, "
                + "in sorted path order. FILE.npy is float32 [N, D]; FILE.npy.txt lists the N paths, one a line."},
        footer = {"", "Examples:", "  java -jar engine.jar features --checkpoint run/checkpoints/last.ckpt --images data/drone --out drone.npy",
                "  java -jar engine.jar features --checkpoint convnext_tiny.safetensors --images photos --out f.npy --flip-average --size 256"})
public final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "engine checkpoint, or .safetensors weights (torchvision, timm or original ConvNeXt names)")
    Path checkpoint;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "folder searched recursively for .jpg/.jpeg/.png/.bmp/.gif")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "output features")
    Path out;

    @Option(names = "--flip-average", description = "average each image's embedding with its mirror's (the clustering feature)")
    boolean flipAverage;

    @Option(names = "--size", paramLabel = "PX", description = "input size, a multiple of 32 (default: the checkpoint's training size, 384 for a bare weights file)")
    Integer size;

    @Option(names = "--batch", defaultValue = "16", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu; auto is the CPU until the CUDA backend lands (default: ${DEFAULT-VALUE})")
    String device;

    @Override public Integer call() throws IOException {
        if (!device.equals("cpu") && !device.equals("auto")) throw new UserError("--device " + device + " is not available for features yet; use --device cpu");
        if (!Files.isDirectory(images)) throw new UserError("image folder " + images + " does not exist; pass --images with a folder of images");
        List<Path> files = ImageFolder.list(images);
        if (files.isEmpty()) throw new UserError("no images (" + String.join(", ", ImageFolder.EXTENSIONS) + ") under " + images + "; pass the folder that holds them");
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        ModelFiles.Loaded loaded;
        try {
            loaded = ModelFiles.load(checkpoint, CpuBackend.INSTANCE, System.err::println);
        } catch (WeightFileException e) {
            throw new UserError(e.getMessage());
        }
        int px = size != null ? size : loaded.trainingSize().orElse(384);
        if (px < 32 || px % 32 != 0) throw new UserError("--size " + px + " is not a positive multiple of 32; ConvNeXt downsamples by 32");
        var extractor = new FeatureExtractor(loaded.model(), new ImagePreprocessor(px), flipAverage, batch);
        var r = extractor.run(images, files, CpuBackend.INSTANCE, ConsoleProgress.factory(), System.err::println);
        if (r.kept().isEmpty()) throw new UserError("none of the " + files.size() + " images under " + images + " could be decoded; check the files");
        Npy.writeFloats(out, r.features(), r.kept().size(), r.dim());
        StringBuilder list = new StringBuilder();
        for (Path p : r.kept()) list.append(p.toString().replace('\\', '/')).append('\n');
        AtomicFiles.write(Path.of(out + ".txt"), list.toString().getBytes(StandardCharsets.UTF_8));
        System.err.printf("features: %d images -> %s [%d, %d] (%s, %d px%s)%s%n", r.kept().size(), out, r.kept().size(), r.dim(),
                loaded.model().config().name(), px, flipAverage ? ", flip-averaged" : "",
                r.skipped().isEmpty() ? "" : "; skipped " + r.skipped().size() + " unreadable image(s)");
        return 0;
    }
}
