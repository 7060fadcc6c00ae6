package dev.uvgl.data.pipeline;

import dev.uvgl.data.image.ImageDecoder;
import dev.uvgl.data.image.Normalize;
import dev.uvgl.data.image.RgbImage;
import dev.uvgl.data.image.TrainAugment;
import dev.uvgl.data.synth.Streams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Decodes and augments the images of one batch. Each (batch, position, view) draws from its own
 * random stream, so a batch is the same whichever thread makes it and in whatever order. A file
 * that fails to decode is reported, counted and replaced by a black image, keeping the batch
 * aligned with its pseudo labels.
 */
public final class BatchMaker {
    private final IntFunction<Path> fileOfRow;
    private final ViewTransform augment;
    private final int views;
    private final long seed;
    private final Consumer<String> warn;
    private final AtomicInteger failed = new AtomicInteger();

    public BatchMaker(IntFunction<Path> fileOfRow, TrainAugment augment, int views, long seed, Consumer<String> warn) {
        this(fileOfRow, new ViewTransform() {
            @Override public int size() { return augment.size(); }

            @Override public RgbImage apply(RgbImage image, long batch, SplittableRandom rnd) {
                return augment.apply(image, rnd);
            }
        }, views, seed, warn);
    }

    public BatchMaker(IntFunction<Path> fileOfRow, ViewTransform augment, int views, long seed, Consumer<String> warn) {
        if (views < 1) throw new IllegalArgumentException("views must be at least 1");
        this.fileOfRow = fileOfRow;
        this.augment = augment;
        this.views = views;
        this.seed = seed;
        this.warn = warn;
    }

    public int failedDecodes() { return failed.get(); }

    public Batch make(long number, int[] rows) {
        int size = augment.size(), per = size * size * 3;
        float[] data = new float[rows.length * views * per];
        for (int i = 0; i < rows.length; i++) {
            RgbImage img;
            try {
                img = ImageDecoder.decode(fileOfRow.apply(rows[i]));
            } catch (IOException e) {
                failed.incrementAndGet();
                warn.accept("warning: " + e.getMessage() + "; using a black image in its place");
                img = RgbImage.blank(size, size);
            }
            for (int v = 0; v < views; v++) {
                SplittableRandom rnd = Streams.of(seed, number, i, v);
                Normalize.into(augment.apply(img, number, rnd), data, (v * rows.length + i) * per);
            }
        }
        return new Batch(number, rows, views, size, data);
    }
}
