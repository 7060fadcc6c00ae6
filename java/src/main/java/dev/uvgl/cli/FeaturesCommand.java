package dev.uvgl.cli;

import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.data.image.ImageFolder;
import dev.uvgl.eval.FeatureExtractor;
import dev.uvgl.model.checkpoint.ModelFiles;
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

/**
 * `features`: embeddings of every image under a folder, in sorted
 * path order, to a .npy file plus a .npy.txt list of paths.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Embeddings (LayerNorm of the pooled last stage, not L2-normalised) of every image under DIR, "
                + "in sorted path order. FILE.npy is float32 [N, D]; FILE.npy.txt lists the N paths, one a line."},
        footer = {"", "Examples:",
        "  java -jar engine.jar features --checkpoint run/checkpoints/last.ckpt --images data/drone --out drone.npy",
                "  java -jar engine.jar features --checkpoint convnext_tiny.safetensors --images photos --out f.npy "
                        + "--flip-average --size 256"})
public final class FeaturesCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin ModelOptions model;

    @Option(names = "--images", required = true, paramLabel = "DIR",
            description = "folder searched recursively for .jpg/.jpeg/.png/.bmp/.gif")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "output features")
    Path out;

    @Option(names = "--flip-average",
            description = "average each image's embedding with its mirror's (the clustering feature)")
    boolean flipAverage;

    @Option(names = "--batch", defaultValue = "16", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Override public Integer call() throws IOException {
        if (!Files.isDirectory(images))
            throw new UserError("image folder " + images + " does not exist; pass --images with a folder of images");
        List<Path> files = ImageFolder.list(images);
        if (files.isEmpty())
            throw new UserError("no images (" + String.join(", ", ImageFolder.EXTENSIONS) + ") under " + images
                    + "; pass the folder that holds them");
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        ModelOptions.Model m = model.load("features");
        ModelFiles.Loaded loaded = m.loaded();
        int px = m.size();
        var net = loaded.model().eval();
        FeatureExtractor.Embedder embedder = b ->
                (flipAverage ? net.flipAveragedEmbedding(b) : net.forward(b)).toRows();
        FeatureExtractor.FileEmbeddings r = FeatureExtractor.embedFiles(m.backend(), embedder,
                FeatureTransform.evaluation(px), batch, System.err::println, images, files, "images",
                ConsoleProgress.factory());
        if (r.kept().isEmpty())
            throw new UserError("none of the " + files.size() + " images under " + images
                    + " could be decoded; check the files");
        Npy.writeFloats(out, r.rows(), r.kept().size(), r.dim());
        StringBuilder list = new StringBuilder();
        for (Path p : r.kept()) list.append(p.toString().replace('\\', '/')).append('\n');
        AtomicFiles.write(Path.of(out + ".txt"), list.toString().getBytes(StandardCharsets.UTF_8));
        System.err.printf("features: %d images -> %s [%d, %d] (%s, %d px%s)%s%n", r.kept().size(), out,
                r.kept().size(), r.dim(),
                loaded.model().config().name(), px, flipAverage ? ", flip-averaged" : "",
                r.skipped().isEmpty() ? "" : "; skipped " + r.skipped().size() + " unreadable image(s)");
        return 0;
    }
}
