package dev.uvgl.testing;

import dev.uvgl.tensor.Shape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads fixtures/torch_ops.txt (made by src/test/python/make_torch_fixtures.py): `name|dims|values`. */
public final class TorchFixtures {
    public record Entry(Shape shape, double[] values) {}

    private static Map<String, Entry> cache;

    private TorchFixtures() {}

    public static synchronized Entry get(String name) {
        if (cache == null) cache = load();
        Entry e = cache.get(name);
        if (e == null)
            throw new IllegalArgumentException("no fixture " + name
                    + "; regenerate with src/test/python/make_torch_fixtures.py");
        return e;
    }

    public static double[] values(String name) { return get(name).values(); }

    private static Map<String, Entry> load() {
        var in = TorchFixtures.class.getResourceAsStream("/fixtures/torch_ops.txt");
        if (in == null) throw new IllegalStateException("fixtures/torch_ops.txt missing from the test resources");
        Map<String, Entry> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] parts = line.split("\\|", -1);
                String[] d = parts[1].isEmpty() ? new String[0] : parts[1].split(",");
                int[] dims = new int[d.length];
                for (int i = 0; i < d.length; i++) dims[i] = Integer.parseInt(d[i]);
                String[] v = parts[2].trim().split(" ");
                double[] vals = new double[v.length];
                for (int i = 0; i < v.length; i++) vals[i] = Double.parseDouble(v[i]);
                m.put(parts[0], new Entry(Shape.of(dims), vals));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** NCHW (PyTorch) to NHWC (the engine). */
    public static double[] nchwToNhwc(double[] x, Shape nchw) {
        int n = nchw.dim(0), c = nchw.dim(1), h = nchw.dim(2), w = nchw.dim(3);
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < h * w; i++) y[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
        return y;
    }

    public static Shape nhwc(Shape nchw) { return Shape.of(nchw.dim(0), nchw.dim(2), nchw.dim(3), nchw.dim(1)); }
}
