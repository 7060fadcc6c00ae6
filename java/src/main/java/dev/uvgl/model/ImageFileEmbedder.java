package dev.uvgl.model;

import dev.uvgl.autograd.GradMode;
import dev.uvgl.backend.Backend;
import dev.uvgl.data.image.ImagePreprocessor;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Embeddings of a list of image files (the `features` and `locate` commands) in batches, in eval mode without
 * gradients: the plain embedding, or the flip-averaged one (dmnil.md section 2). Files that do not decode are
 * skipped and reported, so one bad image does not stop a long run. Datasets (training, clustering, evaluation)
 * go through eval/FeatureExtractor instead, which keeps one row per image of a set.
 */
public final class ImageFileEmbedder {
    /** Rows of `features` [kept.size(), dim] belong to `kept`, in order. */
    public record Result(float[] features, int dim, List<Path> kept, List<String> skipped) {}

    private final ConvNeXt model;
    private final ImagePreprocessor images;
    private final boolean flipAverage;
    private final int batch;

    public ImageFileEmbedder(ConvNeXt model, ImagePreprocessor images, boolean flipAverage, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.model = model;
        this.images = images;
        this.flipAverage = flipAverage;
        this.batch = batch;
    }

    /** @param root folder the paths are relative to */
    public Result run(Path root, List<Path> files, Backend be, Progress.Factory progress, Consumer<String> warn) {
        model.eval();
        int dim = model.config().embeddingDim(), px = images.size(), per = px * px * 3;
        float[] out = new float[files.size() * dim];
        List<Path> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Progress p = progress.start("features", files.size()); var s = GradMode.noGrad()) {
            for (int start = 0; start < files.size(); start += batch) {
                List<float[]> pixels = new ArrayList<>();
                List<Path> names = new ArrayList<>();
                for (Path f : files.subList(start, Math.min(files.size(), start + batch))) {
                    try {
                        pixels.add(images.load(root.resolve(f)));
                        names.add(f);
                    } catch (IOException e) {
                        skipped.add(f.toString());
                        warn.accept("warning: skipping " + f + ": " + e.getMessage());
                    }
                }
                p.step(Math.min(batch, files.size() - start));
                if (pixels.isEmpty()) continue;
                float[] x = new float[pixels.size() * per];
                for (int i = 0; i < pixels.size(); i++) System.arraycopy(pixels.get(i), 0, x, i * per, per);
                Tensor in = be.fromArray(x, Shape.of(pixels.size(), px, px, 3));
                float[] emb = (flipAverage ? model.flipAveragedEmbedding(in) : model.forward(in)).toFloatArray();
                System.arraycopy(emb, 0, out, kept.size() * dim, emb.length);
                kept.addAll(names);
            }
        }
        return new Result(java.util.Arrays.copyOf(out, kept.size() * dim), dim, kept, skipped);
    }
}
