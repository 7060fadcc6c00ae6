package dev.uvgl.cluster;

import dev.uvgl.util.Npy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** One fixture of java/src/test/python/make_cluster_fixtures.py (dense float64 reference + sklearn). */
record ClusterFixture(String name, Path dir, Npy.Floats features) {
    static final int K1 = 30, K2 = 6, MIN_SAMPLES = 4;
    static final String[] NAMES = {"mixture_600", "outliers_800", "single_300", "none_300", "tiles_2000"};

    static ClusterFixture load(String name) throws IOException, URISyntaxException {
        Path dir = Path.of(ClusterFixture.class.getResource("/fixtures/cluster/" + name).toURI());
        return new ClusterFixture(name, dir, Npy.readFloats(dir.resolve("features.npy")));
    }

    int n() { return features.shape()[0]; }

    int dim() { return features.shape()[1]; }

    UnitRows rows() { return UnitRows.normalise(features.data(), n(), dim()); }

    long[] longs(String file) throws IOException { return Npy.readLongs(dir.resolve(file)); }

    float[] floats(String file) throws IOException { return Npy.readFloats(dir.resolve(file)).data(); }

    long[] labels(double eps) throws IOException { return longs(String.format("labels_eps%.2f.npy", eps)); }
}
