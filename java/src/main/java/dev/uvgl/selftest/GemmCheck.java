package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.GemmLauncher;
import dev.uvgl.backend.cuda.GemmPrecision;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A GEMM kernel, through GemmLauncher, against the float inputs' product summed in double (within about 2^-29 of
 * the FP32 unit below: exact for this purpose) for every transpose combination, including shapes that split K (a weight
 * gradient's small C with a long K). Not against the CPU backend's float matmul: its BLAS picks its summation
 * order per CPU model, so the measured error would change with the machine. BF16's error is measured as
 * |d| / sum_p |a_ip||b_pj|: rounding each input to 8 significant bits (unit roundoff 2^-8) moves a product by at
 * most 2^-7 + 2^-16, and float accumulation of k <= 4100 terms adds at most 4100 * 2^-24, so the bound is
 * their sum, 0.00807 (a dropped 16-wide k slice of the 45-deep case is far above it). FP32's error is measured in
 * units of the recursive-summation bound k * 2^-24 * sum |a||b|: any float summation order (slices of at most k
 * terms plus the slice sum) stays within one unit of the exact product, so the bound is 1; a BF16-rounded input
 * alone would be thousands.
 * A shape is {m, n, k, transA, transB}.
 */
final class GemmCheck implements KernelCheck {
    private static final double UNIT_ROUNDOFF = 0x1p-24;
    static final GemmCheck BF16 = new GemmCheck(GemmPrecision.BF16, 0x1p-7 + 0x1p-16 + 4100 * 0x1p-24,
            "|d|/sum|a||b| vs float64");
    static final GemmCheck F32 = new GemmCheck(GemmPrecision.FP32, 1, "|d|/(k 2^-24 sum|a||b|) vs float64");

    private final GemmPrecision precision;
    private final double bound;
    private final String measure;

    private GemmCheck(GemmPrecision precision, double bound, String measure) {
        this.precision = precision;
        this.bound = bound;
        this.measure = measure;
    }

    public String kernel() { return GemmLauncher.kernel(precision); }
    public double bound() { return bound; }
    public String measure() { return measure; }
    @Override public String precision() {
        return precision == GemmPrecision.BF16 ? "BF16 in, FP32 accumulate" : "FP32";
    }
    public List<int[]> shapes(boolean quick) {
        if (quick)
            return List.of(new int[] {1, 1, 1, 0, 0}, new int[] {33, 17, 45, 1, 0}, new int[] {20, 70, 37, 0, 1},
                    new int[] {65, 9, 3, 1, 1});
        return List.of(new int[] {1, 1, 1, 0, 0}, new int[] {16, 16, 16, 0, 0}, new int[] {33, 17, 45, 0, 0},
                new int[] {33, 17, 45, 1, 0}, new int[] {33, 17, 45, 0, 1}, new int[] {33, 17, 45, 1, 1},
                new int[] {64, 96, 80, 0, 0}, new int[] {130, 68, 80, 1, 1}, new int[] {72, 128, 64, 0, 1},
                new int[] {7, 5, 0, 0, 0},
                new int[] {8, 8, 4100, 1, 0}, new int[] {70, 20, 2100, 1, 0}, new int[] {9, 66, 2050, 0, 1});
    }

    public Run run(Device d, CachingAllocator alloc, int[] shape, long seed) {
        int m = shape[0], n = shape[1], k = shape[2];
        boolean ta = shape[3] != 0, tb = shape[4] != 0;
        SplittableRandom r = new SplittableRandom(seed);
        float[] av = KernelCheck.random(r, m * k, -1, 1), bv = KernelCheck.random(r, k * n, -1, 1);
        try (LaunchCase c = new LaunchCase(d, alloc)) {
            int out = c.out(m * n);
            c.in(av); c.in(bv);
            c.via(() -> GemmLauncher.matmul(d, alloc, c.address(out), c.address(1), ta, c.address(2), tb, m, n, k,
                    precision));
            float[] got = c.read(out);
            double worst = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double exact = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double term = (double) av[ta ? p * m + i : i * k + p] * bv[tb ? j * k + p : p * n + j];
                        exact += term;
                        scale += Math.abs(term);
                    }
                    if (precision == GemmPrecision.FP32) scale *= k * UNIT_ROUNDOFF;
                    double e = Math.abs(got[i * n + j] - exact) / Math.max(scale, 1e-30);
                    // max keeps an infinity
                    worst = Float.isNaN(got[i * n + j]) ? Double.POSITIVE_INFINITY : Math.max(worst, e);
                }
            return new Run(worst, c.outputs());
        }
    }
}
