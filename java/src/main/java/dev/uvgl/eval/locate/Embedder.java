package dev.uvgl.eval.locate;

import java.nio.file.Path;
import java.util.List;

/** The network as locate sees it: image files in, one embedding row per file that decodes (others are skipped and left out of `kept`). */
public interface Embedder {
    /** Rows [kept.size(), dim], not necessarily normalised; `kept` keeps the order of `files`. */
    record Embedded(float[] rows, int dim, List<Path> kept) {}

    /** @param root the folder `files` are relative to */
    Embedded embed(Path root, List<Path> files);
}
