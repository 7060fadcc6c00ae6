package dev.uvgl.selftest;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.dmnil.memory.cuda.MemoryKernels;
import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The DHML banks' two kernels (dmnil.md 4, weights 0.2 and 0.7) against the CPU op dhmlBanksUpdateInPlace,
 * with batches where every label repeats (the last repeat's short-term row wins). Shapes: batch, bank rows,
 * dim, every label repeats (0/1).
 */
final class DhmlChecks {
    private DhmlChecks() {}

    static final double ST_NEW = 0.2, ST_OLD = 0.7;

    static List<int[]> shapes(boolean quick) {
        return quick ? List.of(new int[] {6, 4, 33, 1}, new int[] {16, 20, 100, 0})
                : List.of(new int[] {1, 1, 7, 0}, new int[] {9, 4, 100, 1}, new int[] {64, 16, 768, 1},
                        new int[] {33, 50, 257, 0});
    }

    /** Inputs of one case: banks with nonzero rows (zero-initialised banks would hide the gather order). */
    record Case(int batch, int rows, int dim, float[] st, float[] lt, float[] x, int[] y) {
        static Case of(int[] s, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int batch = s[0], rows = s[1], dim = s[2];
            return new Case(batch, rows, dim, KernelCheck.random(r, rows * dim, -0.3, 0.3),
                    KernelCheck.random(r, rows * dim, -0.3, 0.3),
                    MemoryInputs.unitRows(r, batch, dim), MemoryInputs.labels(r, batch, rows, s[3] == 1));
        }

        /** ||x_i - ST'[y_i]|| with ST' the written short-term bank, rounded as the CPU op rounds. */
        double[] distances() {
            double[] dist = new double[batch];
            for (int i = 0; i < batch; i++) {
                int last = i;
                for (int j = i + 1; j < batch; j++) if (y[j] == y[i]) last = j;
                double sq = 0;
                for (int e = 0; e < dim; e++) {
                    float updated = (float) (ST_NEW * x[last * dim + e] + ST_OLD * st[y[i] * dim + e]);
                    double diff = x[i * dim + e] - updated;
                    sq += diff * diff;
                }
                dist[i] = Math.sqrt(sq);
            }
            return dist;
        }
    }

    static float[] asFloats(double[] v) {
        float[] f = new float[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            long b = Double.doubleToRawLongBits(v[i]);
            f[2 * i] = Float.intBitsToFloat((int) b);
            f[2 * i + 1] = Float.intBitsToFloat((int) (b >>> 32));
        }
        return f;
    }

    static double[] asDoubles(float[] f) {
        double[] v = new double[f.length / 2];
        for (int i = 0; i < v.length; i++)
            v[i] = Double.longBitsToDouble((Float.floatToRawIntBits(f[2 * i]) & 0xFFFFFFFFL)
                    | ((long) Float.floatToRawIntBits(f[2 * i + 1]) << 32));
        return v;
    }

    /** Double sums of up to 768 squares in another order than the reference's: bound 1e-12 relative. */
    static final KernelCheck DISTANCE = new KernelCheck() {
        public String kernel() { return "uvgl_dhml_distance_f32"; }
        public double bound() { return 1e-12; }
        public String measure() { return "|d|/max(|ref|,1e-6) on each row's distance"; }
        public List<int[]> shapes(boolean quick) { return DhmlChecks.shapes(quick); }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            Case k = Case.of(s, seed);
            double[] ref = k.distances();
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(2 * k.batch()), st = c.in(k.st()), x = c.in(k.x()), y = c.inInts(k.y());
                c.run(MemoryKernels.dhmlDistance(c.address(out), c.address(st), c.address(x), c.address(y), k.batch(),
                        k.dim(), Double.doubleToRawLongBits(ST_NEW), Double.doubleToRawLongBits(ST_OLD)));
                double[] got = asDoubles(c.read(out));
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    if (Double.isNaN(got[i])) return new Run(Double.POSITIVE_INFINITY, c.outputs());
                    worst = Math.max(worst, Math.abs(got[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-6));
                }
                return new Run(worst, c.outputs());
            }
        }
    };

    /** Given the CPU's distances, the banks and alpha follow the CPU op's roundings: bound 1 float ulp. */
    static final KernelCheck BANKS = new KernelCheck() {
        public String kernel() { return "uvgl_dhml_banks_f32"; }
        public double bound() { return 1.2e-7; }
        public String measure() { return "|d|/max(|ref|,1e-3) on ST, LT and alpha vs dhmlBanksUpdateInPlace"; }
        public List<int[]> shapes(boolean quick) { return DhmlChecks.shapes(quick); }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            Case k = Case.of(s, seed);
            CpuBackend cpu = CpuBackend.INSTANCE;
            Tensor st = cpu.fromArray(k.st().clone(), Shape.of(k.rows(), k.dim())),
                    lt = cpu.fromArray(k.lt().clone(), Shape.of(k.rows(), k.dim()));
            double alpha = BackendMemoryOps.of(cpu)
                    .dhmlBanksUpdateInPlace(st, lt, k.y(), cpu.fromArray(k.x(), Shape.of(k.batch(), k.dim())),
                    ST_NEW, ST_OLD).getAsDouble();
            try (LaunchCase c = new LaunchCase(d, a)) {
                int stOut = c.inout(k.st()), ltOut = c.inout(k.lt()), alphaOut = c.out(2);
                int dist = c.in(asFloats(k.distances())), x = c.in(k.x()), y = c.inInts(k.y());
                c.run(MemoryKernels.dhmlBanks(c.address(stOut), c.address(ltOut), c.address(alphaOut), c.address(dist),
                        c.address(x), c.address(y), k.batch(), k.dim(), Double.doubleToRawLongBits(ST_NEW),
                        Double.doubleToRawLongBits(ST_OLD)));
                double gotAlpha = asDoubles(c.read(alphaOut))[0];
                double err = Math.max(KernelCheck.maxRelError(c.read(stOut), st.toFloatArray(), 1e-3),
                        KernelCheck.maxRelError(c.read(ltOut), lt.toFloatArray(), 1e-3));
                err = Math.max(err,
                        Double.isNaN(gotAlpha) ? Double.POSITIVE_INFINITY : Math.abs(gotAlpha - alpha) / alpha);
                return new Run(err, c.outputs());
            }
        }
    };
}
