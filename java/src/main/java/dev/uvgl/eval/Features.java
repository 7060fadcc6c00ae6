package dev.uvgl.eval;

/**
 * A set of L2-normalised embeddings (row-major n x dim) with their place ids (-1 = junk) and,
 * when known, positions (latitude, longitude in degrees; null when the set has none).
 */
public record Features(float[] data, int n, int dim, int[] ids, double[] lat, double[] lon) {
    public Features {
        if (data.length != (long) n * dim)
            throw new IllegalArgumentException("features hold " + data.length + " floats, expected " + n + " x " + dim);
        if (ids.length != n) throw new IllegalArgumentException(ids.length + " ids for " + n + " feature rows");
        if ((lat == null) != (lon == null) || (lat != null && (lat.length != n || lon.length != n)))
            throw new IllegalArgumentException("positions must be given for every row or for none");
    }

    public Features(float[] data, int n, int dim, int[] ids) { this(data, n, dim, ids, null, null); }

    public boolean hasPositions() { return lat != null; }
}
