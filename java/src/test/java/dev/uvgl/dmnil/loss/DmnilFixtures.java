package dev.uvgl.dmnil.loss;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.util.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Reads fixtures/dmnil/ (made by src/test/python/make_dmnil_fixtures.py; its README lists the files). */
public final class DmnilFixtures {
    private DmnilFixtures() {}

    private static Path file(String name) {
        var url = DmnilFixtures.class.getResource("/fixtures/dmnil/" + name + ".npy");
        if (url == null)
            throw new IllegalArgumentException("no fixture dmnil/" + name
                    + ".npy; regenerate with src/test/python/make_dmnil_fixtures.py");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Npy.Floats floats(String name) {
        try {
            return Npy.readFloats(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] values(String name) {
        float[] f = floats(name).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    public static double scalar(String name) { return values(name)[0]; }

    public static int[] ints(String name) {
        try {
            long[] l = Npy.readLongs(file(name));
            int[] out = new int[l.length];
            for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A float fixture as a CPU tensor of the given dtype, in its stored shape. */
    public static Tensor tensor(String name, DType dtype) {
        Npy.Floats f = floats(name);
        var be = CpuBackend.INSTANCE;
        return be.toDType(be.fromArray(f.data(), Shape.of(f.shape())), dtype);
    }

    /** max |got - want| / max |want|: the error measure of every golden test (1e-5 in float32, dmnil.md section 9). */
    public static double relError(double[] got, double[] want) {
        if (got.length != want.length) throw new AssertionError(got.length + " values, the fixture has " + want.length);
        double scale = 1e-300, err = 0;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
        return err / scale;
    }
}
