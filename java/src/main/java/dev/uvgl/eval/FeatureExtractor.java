package dev.uvgl.eval;

import dev.uvgl.autograd.GradMode;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The engine's one embedding service: every image of a set (or a list of files) in order, the next batch decoded and
 * resized on the pool while the model embeds the current one. Each batch runs in its own backend scope, so a device
 * frees the batch's activations before the next one. The bad-image policy, one for every caller: a file that does
 * not decode is reported in a warning and left out of the result (`embedFiles`; evaluation and clustering pass
 * `undecodable` and drop its row); only a caller that passes no `undecodable` gets a black image in its place, with
 * the warning saying so.
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

    /**
     * As above, but the index of an image that does not decode goes to
     * `undecodable` (from the pool's threads), so the caller can leave its row out.
     */
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

    /** A pool of `threads` daemon threads (at least one) that decode and resize images; shut it down when done. */
    public static ExecutorService decodePool(int threads, String threadName) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Row-major n x dim L2-normalised features of the set's images. */
    public float[][] extract(ImageSet set, Progress.Factory progress) { return extract(set, progress, true); }

    /** The embeddings as the model gives them: clustering centroids average unnormalised features (dmnil.md 3.4). */
    public float[][] extractRaw(ImageSet set, Progress.Factory progress) { return extract(set, progress, false); }

    /** Rows [kept.size(), dim] as the model gives them (not normalised); kept keeps the order of files. */
    public record FileEmbeddings(float[] rows, int dim, List<Path> kept, List<String> skipped) {}

    /**
     * Embeddings of image files (relative to root) as the model gives them, without gradients, decoded on a pool of
     * one thread per core that lives for this call; a file that does not decode is left out, named in `skipped` and
     * warned about as "skipping FILE: why".
     */
    public static FileEmbeddings embedFiles(Backend backend, Embedder embedder, FeatureTransform transform,
                                            int batchSize,
                                            Consumer<String> warn, Path root, List<Path> files, String name,
                                            Progress.Factory progress) {
        ExecutorService pool = decodePool(Runtime.getRuntime().availableProcessors(), "uvgl-decode");
        try {
            return new FeatureExtractor(backend, embedder, transform, batchSize, pool, warn)
                    .embedFiles(root, files, name, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    private FileEmbeddings embedFiles(Path root, List<Path> files, String name, Progress.Factory progress) {
        List<ImageItem> items = files.stream()
                .map(f -> new ImageItem(root.resolve(f), "", Double.NaN, Double.NaN)).toList();
        Set<Integer> bad = new ConcurrentSkipListSet<>();
        float[][] all;
        try (var noGrad = GradMode.noGrad()) {
            all = extract(new ImageSet(name, items, 0), progress, false, (i, e) -> {
                bad.add(i);
                warn.accept("warning: skipping " + files.get(i) + ": " + e.getMessage());
            });
        }
        int dim = all.length == 0 ? 0 : all[0].length;
        List<Path> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        float[] rows = new float[(files.size() - bad.size()) * dim];
        for (int i = 0; i < files.size(); i++) {
            if (bad.contains(i)) { skipped.add(files.get(i).toString()); continue; }
            System.arraycopy(all[i], 0, rows, kept.size() * dim, dim);
            kept.add(files.get(i));
        }
        return new FileEmbeddings(rows, dim, kept, skipped);
    }

    /** What a caller does with a file that does not decode (called from the pool's threads). */
    private interface Undecodable { void accept(int index, IOException why); }

    private Undecodable constructorPolicy() {
        return (i, e) -> {
            if (undecodable != null) undecodable.accept(i);
            warn.accept("warning: " + e.getMessage() + (undecodable != null ? "; leaving it out"
                    : "; embedding a black image in its place"));
        };
    }

    private float[][] extract(ImageSet set, Progress.Factory progress, boolean normalise) {
        return extract(set, progress, normalise, constructorPolicy());
    }

    private float[][] extract(ImageSet set, Progress.Factory progress, boolean normalise, Undecodable onBad) {
        List<ImageItem> items = set.items();
        float[][] out = new float[items.size()][];
        try (Progress bar = progress.start("features " + set.name(), items.size())) {
            Future<float[]> next = items.isEmpty() ? null : prepare(items, 0, onBad);
            for (int start = 0; start < items.size(); start += batchSize) {
                float[] pixels = next.get();
                int n = Math.min(batchSize, items.size() - start);
                next = start + batchSize < items.size() ? prepare(items, start + batchSize, onBad) : null;
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

    private Future<float[]> prepare(List<ImageItem> items, int start, Undecodable onBad) {
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
                    onBad.accept(start + row, e);
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
