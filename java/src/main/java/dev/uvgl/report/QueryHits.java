package dev.uvgl.report;

import java.nio.file.Path;
import java.util.List;

/** A drone photo and its best-ranked tiles, best first, each marked correct when it shows the photo's place. */
public record QueryHits(Path query, List<Tile> hits) {
    public record Tile(Path path, double score, boolean correct) {}

    public QueryHits { hits = List.copyOf(hits); }
}
