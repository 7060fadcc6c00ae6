package dev.uvgl.eval;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.data.image.ImageDecoder;
import dev.uvgl.data.image.RgbImage;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Progress;
import dev.uvgl.util.UnitVectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Embeds every image of a set in path order: the next batch is decoded and resized on the pool
 * while the model embeds the current one; rows come back L2-normalised. Each batch runs in its own
 * backend scope, so a device frees the batch's activations before the next one.
 */
public final class FeatureExtractor {
    /** The model: a batch [N, H, W, 3] of normalised images -> N embeddings. */
    public interface Embedder { float[][] embed(Tensor batch); }

    private final Backend backend;
    private final Embedder embedder;
    private final FeatureTransform transform;
    private final int batchSize;
    private final ExecutorService pool;
    private final Consumer<String> warn;
    private final IntConsumer undecodable;

    /** An image that does not decode is embedded as a black image, with a warning. */
    public FeatureExtractor(Backend backend, Embedder embedder, FeatureTransform transform, int batchSize,
            ExecutorService pool, Consumer<String> warn) {
        this(backend, embedder, transform, batchSize, pool, warn, null);
    }

    /** As above, but the index of an image that does not decode goes to `undecodable` (from the pool's threads), so the caller can leave its row out. */
    public FeatureExtractor(Backend backend, Embedder embedder, FeatureTransform transform, int batchSize,
                            ExecutorService pool, Consumer<String> warn,
                            IntConsumer undecodable) {
        this.backend = backend;
        this.embedder = embedder;
        this.transform = transform;
        this.batchSize = batchSize;
        this.pool = pool;
        this.warn = warn;
        this.undecodable = undecodable;
    }

    /** Row-major n x dim L2-normalised features of the set's images. */
    public float[][] extract(ImageSet set, Progress.Factory progress) { return extract(set, progress, true); }

    /** The embeddings as the model gives them: clustering centroids average unnormalised features (dmnil.md 3.4). */
    public float[][] extractRaw(ImageSet set, Progress.Factory progress) { return extract(set, progress, false); }

    private float[][] extract(ImageSet set, Progress.Factory progress, boolean normalise) {
        List<ImageItem> items = set.items();
        float[][] out = new float[items.size()][];
        try (Progress bar = progress.start("features " + set.name(), items.size())) {
            Future<float[]> next = items.isEmpty() ? null : prepare(items, 0);
            for (int start = 0; start < items.size(); start += batchSize) {
                float[] pixels = next.get();
                int n = Math.min(batchSize, items.size() - start);
                next = start + batchSize < items.size() ? prepare(items, start + batchSize) : null;
                float[][] emb;
                try (Scope batch = backend.scope()) {
                    emb = embedder.embed(backend.fromArray(pixels, Shape.of(n, transform.size(), transform.size(), 3)));
                }
                if (emb.length != n)
                    throw new IllegalStateException("the embedder returned " + emb.length + " rows for " + n
                            + " images");
                for (int i = 0; i < n; i++) out[start + i] = normalise ? UnitVectors.normalised(emb[i]) : emb[i];
                bar.step(n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing images failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    private Future<float[]> prepare(List<ImageItem> items, int start) {
        int n = Math.min(batchSize, items.size() - start), per = transform.size() * transform.size() * 3;
        float[] pixels = new float[n * per];
        List<Future<?>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int row = i;
            parts.add(pool.submit(() -> {
                RgbImage img;
                try {
                    img = ImageDecoder.decode(items.get(start + row).path());
                } catch (IOException e) {
                    if (undecodable != null) undecodable.accept(start + row);
                    warn.accept("warning: " + e.getMessage()
                            + (undecodable != null ? "; leaving it out" : "; embedding a black image in its place"));
                    img = RgbImage.blank(transform.size(), transform.size());
                }
                transform.into(img, pixels, row * per);
            }));
        }
        return pool.submit(() -> {
            for (Future<?> f : parts) f.get();
            return pixels;
        });
    }
}
