package dev.uvgl.eval.locate;

import dev.uvgl.backend.Backend;
import dev.uvgl.data.image.FeatureTransform;
import dev.uvgl.eval.FeatureExtractor;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * "Where was this photo taken?" end to end, as `locate` and `demo` both run it: the network embeds images
 * (files that do not decode are skipped with a warning), the gallery's features come from the cache beside
 * it or are computed and cached, and each photo gets its top-K tiles with positions.
 */
public final class LocatePipeline {
    private final PhotoEmbedder embedder;
    private final GalleryIndex.Loaded gallery;
    private final Path galleryDir, cacheFile;
    private final GalleryPositions positions;

    private LocatePipeline(PhotoEmbedder embedder, GalleryIndex.Loaded gallery, Path galleryDir, Path cacheFile,
            GalleryPositions positions) {
        this.embedder = embedder;
        this.gallery = gallery;
        this.galleryDir = galleryDir;
        this.cacheFile = cacheFile;
        this.positions = positions;
    }

    /**
     * @param checkpoint the file the network came from (part of the cache key)
     * @param tiles      the gallery's image files, relative to `galleryDir`
     * @param positions  null when the gallery has no GPS file (hits then have no positions)
     */
    public static LocatePipeline open(ConvNeXt model, Backend be, int size, int batch, Path checkpoint, Path galleryDir,
                                      List<Path> tiles,
                                      GalleryPositions positions, Progress.Factory progress,
                                      Consumer<String> log) throws IOException {
        var net = model.eval();
        PhotoEmbedder embedder = (dir, files) -> {
            var r = FeatureExtractor.embedFiles(be, b -> net.forward(b).toRows(), FeatureTransform.evaluation(size),
                    batch, log, dir, files, "features", progress);
            return new PhotoEmbedder.Embedded(r.rows(), r.dim(), r.kept());
        };
        Path cache = GalleryCacheFile.besideGallery(galleryDir);
        GalleryIndex.Loaded g = GalleryIndex.load(galleryDir, tiles, GalleryKey.of(checkpoint, galleryDir, tiles, size),
                cache, embedder, log);
        return new LocatePipeline(embedder, g, galleryDir, cache, positions);
    }

    public GalleryIndex.Loaded gallery() { return gallery; }

    public Path cacheFile() { return cacheFile; }

    /** Top-`k` tiles of every photo that decodes, in the order of `photos` (relative to `root`). */
    public List<Locator.Answer> locate(Path root, List<Path> photos, int k) {
        return new Locator(galleryDir, gallery.features(), positions).locate(root, photos, embedder, k);
    }
}
