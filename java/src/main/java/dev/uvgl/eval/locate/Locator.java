package dev.uvgl.eval.locate;

import dev.uvgl.util.UnitVectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ranks a gallery's tiles for drone photos and estimates each photo's position. The estimate is
 * the position of the best-ranked hit that has one, not a score-weighted mean: when the top hits
 * are different places, a mean lands between them, where no tile matched.
 */
public final class Locator {
    public static final String ESTIMATE_METHOD =
            "position of the best-ranked hit that has one (top-1 retrieval, not a weighted mean)";

    /** One ranked tile; `position` is {lat, lon} or null. */
    public record Hit(int rank, Path path, float score, double[] position) {}

    /** Where a photo was probably taken: a hit's position and that hit's rank. */
    public record Estimate(double lat, double lon, int rank) {}

    /** One photo's hits, best first, and its estimate (null when no hit has a position). */
    public record Answer(Path query, List<Hit> hits, Estimate estimate) {}

    private final Path gallery;
    private final GalleryFeatures features;
    private final GalleryPositions positions;

    /** @param positions null when the gallery has no position file */
    public Locator(Path gallery, GalleryFeatures features, GalleryPositions positions) {
        this.gallery = gallery;
        this.features = features;
        this.positions = positions;
    }

    /** Answers for the photos that decode, in order; the others are skipped by the embedder (which warns). */
    public List<Answer> locate(Path root, List<Path> photos, PhotoEmbedder embedder, int k) {
        PhotoEmbedder.Embedded e = embedder.embed(root, photos);
        if (e.kept().isEmpty()) return List.of();
        if (e.dim() != features.dim())
            throw new IllegalStateException("photos embed to " + e.dim() + " dims, the gallery to " + features.dim());
        float[] unit = UnitVectors.normalisedRows(e.rows(), e.dim());
        List<Answer> answers = new ArrayList<>();
        for (int q = 0; q < e.kept().size(); q++) {
            float[] query = java.util.Arrays.copyOfRange(unit, q * e.dim(), (q + 1) * e.dim());
            List<Hit> hits = new ArrayList<>();
            Estimate estimate = null;
            for (TopHits.Hit h : TopHits.of(query, features, k)) {
                Path tile = gallery.resolve(features.paths().get(h.index()));
                double[] pos = positions == null ? null : positions.of(tile);
                hits.add(new Hit(hits.size() + 1, tile, h.score(), pos));
                if (estimate == null && pos != null) estimate = new Estimate(pos[0], pos[1], hits.size());
            }
            answers.add(new Answer(root.resolve(e.kept().get(q)), hits, estimate));
        }
        return answers;
    }
}
