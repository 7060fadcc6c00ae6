package dev.uvgl.eval.locate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopHitsTest {
    static GalleryFeatures gallery(float[] rows) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < rows.length / 2; i++) names.add("t" + i);
        return new GalleryFeatures(names, rows, 2);
    }

    @Test void bestFirstWithTiesToTheLowerIndexAndKClampedToTheGallery() {
        GalleryFeatures g = gallery(new float[] {0, 1, 1, 0, 0.6f, 0.8f, 1, 0, -1, 0});
        List<TopHits.Hit> hits = TopHits.of(new float[] {1, 0}, g, 3);
        assertEquals(List.of(1, 3, 2), hits.stream().map(TopHits.Hit::index).toList());
        assertEquals(0.6f, hits.get(2).score(), 1e-7);
        assertEquals(5, TopHits.of(new float[] {1, 0}, g, 50).size());
        assertEquals(List.of(4, 0), TopHits.of(new float[] {-1, 0}, g, 2).stream().map(TopHits.Hit::index).toList());
        GalleryFeatures nan = gallery(new float[] {Float.NaN, 0, 0.5f, 0, 1, 0});
        assertEquals(List.of(2, 1), TopHits.of(new float[] {1, 0}, nan, 2).stream().map(TopHits.Hit::index).toList());
    }
}
