package dev.uvgl.dmnil.loss;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/** Small clustered unit rows, so that masks at ratio 0.9 hold several neighbours, and tensor helpers. */
final class NeighbourData {
    private NeighbourData() {}

    /** n unit rows of dimension d around `clusters` random centres, noise `spread`. */
    static double[] clustered(long seed, int n, int d, int clusters, double spread) {
        Random r = new Random(seed);
        double[][] centres = new double[clusters][d];
        for (double[] c : centres) for (int e = 0; e < d; e++) c[e] = r.nextGaussian();
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            double[] c = centres[r.nextInt(clusters)];
            for (int e = 0; e < d; e++) out[i * d + e] = c[e] / Math.sqrt(d) + spread * r.nextGaussian() / Math.sqrt(d);
        }
        return unitRows(out, d);
    }

    static double[] unitRows(double[] x, int d) {
        double[] out = x.clone();
        for (int i = 0; i < x.length / d; i++) {
            double s = 0;
            for (int e = 0; e < d; e++) s += x[i * d + e] * x[i * d + e];
            for (int e = 0; e < d; e++) out[i * d + e] /= Math.sqrt(s);
        }
        return out;
    }

    /** Rows `idx` of an n x d matrix. */
    static double[] rows(double[] m, int d, int[] idx) {
        double[] out = new double[idx.length * d];
        for (int i = 0; i < idx.length; i++) System.arraycopy(m, idx[i] * d, out, i * d, d);
        return out;
    }

    /** The memory nudged by noise and renormalised: a second path that agrees only roughly. */
    static double[] perturbed(long seed, double[] m, int d, double noise) {
        Random r = new Random(seed);
        double[] out = m.clone();
        for (int i = 0; i < out.length; i++) out[i] += noise * r.nextGaussian() / Math.sqrt(d);
        return unitRows(out, d);
    }

    static Tensor tensor(double[] v, DType dtype, int... dims) {
        var be = CpuBackend.INSTANCE;
        return be.toDType(be.fromArray(v, Shape.of(dims)), dtype);
    }

    /** Largest |got - want| over the largest |want|: the norm-wise relative error. */
    static double relError(double[] got, double[] want) { return DmnilFixtures.relError(got, want); }
}
