package dev.uvgl.eval.locate;

import dev.uvgl.util.UnitVectors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The gallery's features, from the cache when it was made for the same network, images and size,
 * else embedded now and cached. The cache only saves time: a damaged one is recomputed and a cache
 * that cannot be written costs the next run the extraction again, both with a warning, never a failure.
 */
public final class GalleryIndex {
    /** The features and whether they came from the cache. */
    public record Loaded(GalleryFeatures features, boolean fromCache) {}

    private GalleryIndex() {}

    public static Loaded load(Path gallery, List<Path> files, byte[] key, Path cacheFile, PhotoEmbedder embedder,
            Consumer<String> log) {
        try {
            Optional<GalleryFeatures> cached = GalleryCacheFile.read(cacheFile, key);
            if (cached.isPresent()) return new Loaded(cached.get(), true);
        } catch (GalleryCacheFile.DamagedException e) {
            log.accept("warning: gallery cache " + cacheFile + " is damaged (" + e.getMessage() + "); recomputing it");
        } catch (IOException e) {
            log.accept("warning: cannot read gallery cache " + cacheFile + " (" + e.getMessage() + "); recomputing it");
        }
        PhotoEmbedder.Embedded e = embedder.embed(gallery, files);
        List<String> paths = e.kept().stream().map(p -> p.toString().replace('\\', '/')).toList();
        GalleryFeatures g = new GalleryFeatures(paths, UnitVectors.normalisedRows(e.rows(), e.dim()), e.dim());
        try {
            GalleryCacheFile.write(cacheFile, key, g);
        } catch (IOException ex) {
            log.accept("warning: cannot write gallery cache " + cacheFile + " (" + ex.getMessage()
                    + "); the next run embeds the gallery again");
        }
        return new Loaded(g, false);
    }
}
