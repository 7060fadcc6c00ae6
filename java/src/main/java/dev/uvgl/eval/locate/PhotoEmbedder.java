package dev.uvgl.eval.locate;

import java.nio.file.Path;
import java.util.List;

/**
 * The network as locate sees it: photo files in, one embedding row per file that decodes (others are left out of
 * `kept`); LocatePipeline backs it with the engine's embedding service, FeatureExtractor.embedFiles.
 */
public interface PhotoEmbedder {
    /** Rows [kept.size(), dim], not necessarily normalised; `kept` keeps the order of `files`. */
    record Embedded(float[] rows, int dim, List<Path> kept) {}

    /** @param root the folder `files` are relative to */
    Embedded embed(Path root, List<Path> files);
}
