package dev.uvgl.eval.locate;

import dev.uvgl.data.DatasetError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GalleryPositionsTest {
    @TempDir Path dir;

    @Test void theNearestGpsCsvUpTheTreeWithPathsRelativeToItsFolder() throws IOException {
        Path gallery = Files.createDirectories(dir.resolve("world/test/gallery_satellite/0004"));
        Files.writeString(dir.resolve("gps.csv"), "path,lat,lon\nworld/test/gallery_satellite/0004/0004.jpg,1,2\n");
        Files.writeString(dir.resolve("world/gps.csv"),
                "path,lat,lon\ntest/gallery_satellite/0004/0004.jpg,30.5,120.25\n");
        GalleryPositions p = GalleryPositions.find(gallery.getParent()).orElseThrow();
        assertEquals(dir.resolve("world/gps.csv"), p.file());
        assertArrayEquals(new double[] {30.5, 120.25}, p.of(gallery.resolve("0004.jpg")));
        assertNull(p.of(gallery.resolve("other.jpg")));
        assertNull(p.of(dir.resolve("elsewhere/0004.jpg")), "a file outside the csv's folder has no row");
    }

    @Test void denseUavPositionsAreKeyedByPlaceFolder() throws IOException {
        Path gallery = Files.createDirectories(dir.resolve("DenseUAV/test/gallery_satellite/000002"));
        Files.writeString(dir.resolve("DenseUAV/Dense_GPS_ALL.txt"),
                "test/query_drone/000002/H90.JPG E120.3 N30.4 90\n");
        GalleryPositions p = GalleryPositions.find(gallery.getParent()).orElseThrow();
        assertArrayEquals(new double[] {30.4, 120.3}, p.of(gallery.resolve("H80.tif")));
    }

    @Test void noFileMeansNoPositionsAndABadRowIsAnError() throws IOException {
        Path gallery = Files.createDirectories(dir.resolve("g"));
        assertTrue(GalleryPositions.find(gallery).isEmpty()
                || !GalleryPositions.find(gallery).get().file().startsWith(dir));
        Files.writeString(gallery.resolve("gps.csv"), "path,lat,lon\na.jpg,95,10\n");
        DatasetError e = assertThrows(DatasetError.class, () -> GalleryPositions.find(gallery));
        assertTrue(e.getMessage().contains("gps.csv line 2") && e.getMessage().contains("fix or delete that row"),
                e.getMessage());
    }
}
