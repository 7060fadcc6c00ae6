package dev.uvgl.data.synth;

/**
 * The map's geographic frame: x metres east and y metres north of an origin, mapped to latitude
 * and longitude with a local equirectangular projection (exact enough over a few kilometres).
 */
public record GeoFrame(double originLat, double originLon) {
    static final double METRES_PER_DEGREE = 111_320.0;

    public double lat(double northMetres) { return originLat + northMetres / METRES_PER_DEGREE; }

    public double lon(double eastMetres) {
        return originLon + eastMetres / (METRES_PER_DEGREE * Math.cos(Math.toRadians(originLat)));
    }
}
