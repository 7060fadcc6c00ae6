package dev.uvgl.eval.locate;

import java.util.List;

/**
 * The gallery's L2-normalised embeddings: row i (of `dim` floats) belongs
 * to paths.get(i), relative to the gallery folder with '/' separators.
 */
public record GalleryFeatures(List<String> paths, float[] rows, int dim) {
    public GalleryFeatures {
        if (rows.length != (long) paths.size() * dim)
            throw new IllegalArgumentException(rows.length + " floats for " + paths.size() + " tiles x " + dim);
        paths = List.copyOf(paths);
    }

    public int size() { return paths.size(); }
}
