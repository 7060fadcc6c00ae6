package dev.uvgl.data;

import java.nio.file.Path;

/** One image of a dataset: its file, the place folder it sits in, and its position (NaN when unknown). */
public record ImageItem(Path path, String place, double lat, double lon) {
    public boolean hasPosition() { return !Double.isNaN(lat) && !Double.isNaN(lon); }

    public ImageItem withPosition(double newLat, double newLon) { return new ImageItem(path, place, newLat, newLon); }
}
