package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.dmnil.memory.cuda.MemoryKernels;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The neighbour mask's three kernels (dmnil.md 7) against float64 references, on clustered unit rows so
 * that many similarities sit near each row's maximum and the mask is neither empty nor full. Shapes:
 * batch, memory rows, dim, tiles of 64 memory rows per split, cross-view (0: queries are rows of the key
 * memory, as the intra-view loss; 1: rows of another memory).
 */
final class NeighbourMaskChecks {
    private NeighbourMaskChecks() {}

    private static final int TILE = MemoryKernels.MASK_TILE;
    static final float RATIO = 0.9f;

    static List<int[]> shapes(boolean quick) {
        return quick ? List.of(new int[] {5, 70, 36, 1, 0}, new int[] {33, 130, 20, 1, 1})
                : List.of(new int[] {1, 1, 8, 1, 0}, new int[] {5, 70, 36, 1, 0}, new int[] {33, 200, 33, 2, 1},
                new int[] {40, 129, 17, 1, 0},
                new int[] {3, 300, 768, 2, 1});
    }

    /** Rows around a few centres, normalised: similarities within a cluster crowd near the row maximum. */
    static float[] clustered(SplittableRandom r, float[] centres, int clusters, int rows, int dim) {
        float[] a = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(clusters);
            double sq = 0;
            for (int e = 0; e < dim; e++) {
                double v = centres[c * dim + e] + 0.25 * r.nextGaussian() / Math.sqrt(dim);
                a[i * dim + e] = (float) v;
                sq += v * v;
            }
            double inv = 1 / Math.sqrt(sq);
            for (int e = 0; e < dim; e++) a[i * dim + e] = (float) (a[i * dim + e] * inv);
        }
        return a;
    }

    /** The two query memories, two key memories and the query rows of one case. */
    record Case(int batch, int n, int dim, int queryRows, float[] qm1, float[] km1, float[] qm2, float[] km2,
            int[] rows) {
        static Case of(int[] s, long seed) {
            int batch = s[0], n = s[1], dim = s[2];
            boolean cross = s[4] == 1;
            SplittableRandom r = new SplittableRandom(seed);
            float[] centres = MemoryInputs.unitRows(r, 4, dim);
            float[] km1 = clustered(r, centres, 4, n, dim), km2 = clustered(r, centres, 4, n, dim);
            int queryRows = cross ? batch + 7 : n;
            float[] qm1 = cross ? clustered(r, centres, 4, queryRows, dim) : km1,
                    qm2 = cross ? clustered(r, centres, 4, queryRows, dim) : km2;
            int[] rows = new int[batch];
            for (int i = 0; i < batch; i++) rows[i] = r.nextInt(queryRows);
            return new Case(batch, n, dim, queryRows, qm1, km1, qm2, km2, rows);
        }

        double sim(int which, int i, int j) {
            return which == 0 ? MemoryInputs.dot(qm1, rows[i], km1, j, dim)
                    : MemoryInputs.dot(qm2, rows[i], km2, j, dim);
        }

        /** max over keys [j0, j1) of sim or sim', rounded to float. */
        float max(int which, int i, int j0, int j1) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = j0; j < j1; j++) m = Math.max(m, sim(which, i, j));
            return (float) m;
        }
    }

    /**
     * Float dot products of length <= 768 of unit rows (error ~ sqrt(D) eps, 7e-7 seen): bound 5e-6 of max(|ref|, 1).
     */
    static final KernelCheck ROWMAX = new KernelCheck() {
        public String kernel() { return "uvgl_neighbour_rowmax_f32"; }
        public double bound() { return 5e-6; }
        public String measure() { return "|d|/max(|ref|,1) on each split's row maxima"; }
        public List<int[]> shapes(boolean quick) { return NeighbourMaskChecks.shapes(quick); }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            Case k = Case.of(s, seed);
            int per = s[3], splits = MemoryInputs.ceilDiv(MemoryInputs.ceilDiv(k.n(), TILE), per);
            float[] ref = new float[splits * 2 * k.batch()];
            for (int p = 0; p < splits; p++)
                for (int w = 0; w < 2; w++)
                    for (int i = 0; i < k.batch(); i++)
                        ref[(p * 2 + w) * k.batch() + i] = k.max(w, i, p * per * TILE,
                                Math.min(k.n(), (p + 1) * per * TILE));
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(ref.length), q1 = c.in(k.qm1()), k1 = c.in(k.km1()), q2 = c.in(k.qm2()),
                        k2 = c.in(k.km2()), rows = c.inInts(k.rows());
                c.run(MemoryKernels.neighbourRowmax(c.address(out), c.address(q1), c.address(k1), c.address(q2),
                        c.address(k2), c.address(rows), k.batch(), k.n(), k.dim(), per));
                return new Run(KernelCheck.maxRelError(c.read(out), ref, 1), c.outputs());
            }
        }
    };

    /**
     * Bits against float64 similarities with the kernel's thresholds (ratio times the given maxima, in
     * float): a differing bit counts unless its similarity is within 1e-5 of the threshold, where float
     * rounding may decide either way. Bits past the last key must be 0. Bound: 0 such bits.
     */
    static final KernelCheck MASK = new KernelCheck() {
        public String kernel() { return "uvgl_neighbour_mask_f32"; }
        public double bound() { return 0; }
        public String measure() { return "mask bits differing beyond 1e-5 of the threshold"; }
        public List<int[]> shapes(boolean quick) { return NeighbourMaskChecks.shapes(quick); }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            Case k = Case.of(s, seed);
            int per = s[3], words = MemoryInputs.ceilDiv(k.n(), 32);
            // Pass 1's output as two partial maxima per row (keys split in halves), merged by the kernel.
            int half = (k.n() + 1) / 2;
            float[] partialMax = new float[2 * 2 * k.batch()];
            float[][] threshold = new float[2][k.batch()];
            for (int w = 0; w < 2; w++)
                for (int i = 0; i < k.batch(); i++) {
                    float lo = k.max(w, i, 0, half),
                            hi = half < k.n() ? k.max(w, i, half, k.n()) : Float.NEGATIVE_INFINITY;
                    partialMax[w * k.batch() + i] = lo;
                    partialMax[(2 + w) * k.batch() + i] = hi;
                    threshold[w][i] = RATIO * Math.max(lo, hi);
                }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.outInts(k.batch() * words), pm = c.in(partialMax), q1 = c.in(k.qm1()),
                        k1 = c.in(k.km1()), q2 = c.in(k.qm2()), k2 = c.in(k.km2()), rows = c.inInts(k.rows());
                c.run(MemoryKernels.neighbourMaskBits(c.address(out), c.address(pm), c.address(q1), c.address(k1),
                        c.address(q2), c.address(k2), c.address(rows), k.batch(), k.n(), k.dim(), 2, per, RATIO));
                int[] got = c.readInts(out);
                int wrong = 0, set = 0;
                for (int i = 0; i < k.batch(); i++)
                    for (int j = 0; j < words * 32; j++) {
                        boolean bit = (got[i * words + j / 32] >>> (j % 32) & 1) == 1;
                        set += bit ? 1 : 0;
                        if (j >= k.n()) { wrong += bit ? 1 : 0; continue; }
                        double s1 = k.sim(0, i, j), s2 = k.sim(1, i, j);
                        boolean want = s1 > threshold[0][i] && s2 > threshold[1][i];
                        boolean nearEdge = Math.abs(s1 - threshold[0][i]) <= 1e-5
                                || Math.abs(s2 - threshold[1][i]) <= 1e-5;
                        if (bit != want && !nearEdge) wrong++;
                    }
                if (set == 0)
                    throw new IllegalStateException(
                            "neighbour mask check: an empty mask proves little; the inputs must cluster");
                return new Run(wrong, c.outputs());
            }
        }
    };

    /** Integer popcounts: exact. */
    static final KernelCheck COUNT = new KernelCheck() {
        public String kernel() { return "uvgl_neighbour_count_i32"; }
        public double bound() { return 0; }
        public String measure() { return "exact popcount"; }
        @Override public String precision() { return "int32"; }
        public List<int[]> shapes(boolean quick) {
            // batch, words per row
            return quick ? List.of(new int[] {1, 1}, new int[] {9, 40})
                    : List.of(new int[] {1, 1}, new int[] {9, 40}, new int[] {130, 3}, new int[] {3, 1250});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int batch = s[0], words = s[1];
            SplittableRandom r = new SplittableRandom(seed);
            int[] bits = new int[batch * words];
            for (int i = 0; i < bits.length; i++) bits[i] = r.nextInt(4) == 0 ? -1 : r.nextInt();
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.outInts(batch), in = c.inInts(bits);
                c.run(MemoryKernels.neighbourCount(c.address(out), c.address(in), batch, words));
                int[] got = c.readInts(out);
                double wrong = 0;
                for (int i = 0; i < batch; i++) {
                    int want = 0;
                    for (int w = 0; w < words; w++) want += Integer.bitCount(bits[i * words + w]);
                    if (got[i] != want) wrong++;
                }
                return new Run(wrong, c.outputs());
            }
        }
    };
}
