package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.KnnKernels;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Row top-k (kNN) kernels against a float64 reference sorted by (value, lower index), on unit rows where
 * some keys are exact copies of others, so exact ties must go to the lower index.
 */
final class KnnChecks {
    private KnnChecks() {}

    private static final int TILE = KnnKernels.KNN_TILE;

    /** A key and its reference score (larger ranks first: the dot product, or minus the squared distance). */
    record Scored(double key, int index) {}
    static final Comparator<Scored> ORDER = Comparator.comparingDouble((Scored s) -> -s.key())
            .thenComparingInt(Scored::index);

    /** Keys with every 5th row a copy of the row 3 before it: exact ties in both the dot product and the distance. */
    static float[] keysWithCopies(SplittableRandom r, int n, int dim) {
        float[] y = MemoryInputs.unitRows(r, n, dim);
        for (int j = 3; j < n; j += 5) System.arraycopy(y, (j - 3) * dim, y, j * dim, dim);
        return y;
    }

    static double score(float[] q, int i, float[] y, int j, int dim, boolean squared) {
        if (!squared) return MemoryInputs.dot(q, i, y, j, dim);
        double s = 0;
        for (int e = 0; e < dim; e++) { double t = (double) q[i * dim + e] - y[j * dim + e]; s += t * t; }
        return -s;
    }

    /**
     * The worst value error over the lists, infinite where an index differs from the reference's unless the
     * two keys' reference scores differ by at most tieTolerance (a near-tie float rounding may order either
     * way) and are not equal (an exact tie goes to the lower index).
     */
    static double compare(float[] gotV, int[] gotI, List<List<Scored>> ref, double[][] allScores, int k,
            boolean squared, double tieTolerance) {
        double worst = 0;
        for (int q = 0; q < ref.size(); q++) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int p = 0; p < k; p++)
                if (gotI[q * k + p] >= 0 && !seen.add(gotI[q * k + p])) return Double.POSITIVE_INFINITY;
            for (int p = 0; p < k; p++) {
                Scored want = ref.get(q).get(p);
                int gi = gotI[q * k + p];
                float gv = gotV[q * k + p];
                if (want.index() < 0) {
                    if (gi != -1 || !Float.isNaN(gv)) return Double.POSITIVE_INFINITY;
                    continue;
                }
                if (Float.isNaN(gv) || gi < 0 || gi >= allScores[q].length) return Double.POSITIVE_INFINITY;
                // Exact ties (copied keys) have bit-identical float scores too, so they must go to the lower index.
                double gap = Math.abs(allScores[q][gi] - want.key());
                if (gi != want.index() && (gap == 0 || gap > tieTolerance)) return Double.POSITIVE_INFINITY;
                double wantValue = squared ? -want.key() : want.key();
                worst = Math.max(worst, Math.abs(gv - wantValue) / Math.max(Math.abs(wantValue), 1));
            }
        }
        return worst;
    }

    /** Float dot products / distances of length <= 768: values within 1e-5 of max(|ref|, 1), same for near-ties. */
    static final KernelCheck TOPK = new KernelCheck() {
        public String kernel() { return "uvgl_knn_topk_f32"; }
        public double bound() { return 1e-5; }
        public String measure() { return "|d|/max(|ref|,1) on values; indices equal but for near-ties within 1e-5"; }
        public List<int[]> shapes(boolean quick) {
            // queries, keys, dim, k, tiles per split, squared distance
            return quick ? List.of(new int[] {5, 70, 36, 10, 1, 0}, new int[] {33, 130, 20, 30, 1, 1})
                    : List.of(new int[] {1, 1, 8, 1, 1, 0}, new int[] {5, 70, 36, 10, 1, 0},
                    new int[] {33, 200, 33, 30, 2, 1},
                    new int[] {40, 129, 17, 32, 1, 0}, new int[] {3, 300, 768, 10, 2, 1},
                    new int[] {7, 64, 5, 5, 1, 1});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int queries = s[0], n = s[1], dim = s[2], k = s[3], per = s[4];
            boolean squared = s[5] == 1;
            int splits = MemoryInputs.ceilDiv(MemoryInputs.ceilDiv(n, TILE), per);
            SplittableRandom r = new SplittableRandom(seed);
            float[] q = MemoryInputs.unitRows(r, queries, dim), y = keysWithCopies(r, n, dim);
            List<List<Scored>> ref = new ArrayList<>();
            double[][] all = new double[splits * queries][n];
            for (int p = 0; p < splits; p++)
                for (int i = 0; i < queries; i++) {
                    List<Scored> list = new ArrayList<>();
                    // Keys outside this split score infinitely far from any entry: never an acceptable near-tie.
                    for (int j = 0; j < n; j++) all[p * queries + i][j] = Double.POSITIVE_INFINITY;
                    for (int j = p * per * TILE; j < Math.min(n, (p + 1) * per * TILE); j++) {
                        all[p * queries + i][j] = score(q, i, y, j, dim, squared);
                        list.add(new Scored(all[p * queries + i][j], j));
                    }
                    list.sort(ORDER);
                    // A split with fewer than k keys leaves its list's tail empty: NaN and index -1.
                    while (list.size() < k) list.add(new Scored(Double.NaN, -1));
                    ref.add(list);
                }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int values = c.out(splits * queries * k), indices = c.outInts(splits * queries * k);
                int qi = c.in(q), yi = c.in(y);
                c.run(KnnKernels.topKPartial(c.address(values), c.address(indices), c.address(qi), c.address(yi),
                        queries, n, dim, k, per, squared));
                return new Run(compare(c.read(values), c.readInts(indices), ref, all, k, squared, 1e-5), c.outputs());
            }
        }
    };

    /** The merge moves values without arithmetic: exact, bound 0. */
    static final KernelCheck MERGE = new KernelCheck() {
        public String kernel() { return "uvgl_knn_merge_f32"; }
        public double bound() { return 0; }
        public String measure() { return "exact vs the sorted union of the splits' lists"; }
        public List<int[]> shapes(boolean quick) {
            // queries, k, splits, squared distance
            return quick ? List.of(new int[] {3, 10, 4, 0}, new int[] {17, 30, 2, 1})
                    : List.of(new int[] {1, 1, 1, 0}, new int[] {3, 10, 4, 0}, new int[] {17, 30, 2, 1},
                            new int[] {9, 32, 66, 0}, new int[] {20, 5, 7, 1});
        }
        public Run run(Device d, CachingAllocator a, int[] s, long seed) {
            int queries = s[0], k = s[1], splits = s[2];
            boolean squared = s[3] == 1;
            SplittableRandom r = new SplittableRandom(seed);
            float[] pv = new float[splits * queries * k];
            int[] pi = new int[splits * queries * k];
            float[] refV = new float[queries * k];
            int[] refI = new int[queries * k];
            for (int q = 0; q < queries; q++) {
                List<Scored> union = new ArrayList<>();
                for (int p = 0; p < splits; p++) {
                    // Values on a coarse grid, so equal values across splits are common; the last split may run short.
                    int filled = p == splits - 1 && k > 1 ? k - 1 - r.nextInt(Math.min(k - 1, 3)) : k;
                    int[] ids = MemoryInputs.distinct(r, filled, 1000);
                    List<Scored> list = new ArrayList<>();
                    for (int e = 0; e < filled; e++) list.add(new Scored(r.nextInt(20) / 8.0, p * 1000 + ids[e]));
                    list.sort(ORDER);
                    for (int e = 0; e < k; e++) {
                        int at = (p * queries + q) * k + e;
                        if (e < filled) {
                            Scored x = list.get(e);
                            pv[at] = (float) (squared ? -x.key() : x.key());
                            pi[at] = x.index();
                            union.add(x);
                        } else { pv[at] = Float.NaN; pi[at] = -1; }
                    }
                }
                union.sort(ORDER);
                for (int e = 0; e < k; e++) {
                    boolean have = e < union.size();
                    refV[q * k + e] = have ? (float) (squared ? -union.get(e).key() : union.get(e).key()) : Float.NaN;
                    refI[q * k + e] = have ? union.get(e).index() : -1;
                }
            }
            try (LaunchCase c = new LaunchCase(d, a)) {
                int values = c.out(queries * k), indices = c.outInts(queries * k);
                int pvi = c.in(pv), pii = c.inInts(pi);
                c.run(KnnKernels.merge(c.address(values), c.address(indices), c.address(pvi), c.address(pii), queries,
                        k, splits, squared));
                float[] gv = c.read(values);
                int[] gi = c.readInts(indices);
                double err = 0;
                for (int e = 0; e < gv.length; e++)
                    if (gi[e] != refI[e] || Float.floatToIntBits(gv[e]) != Float.floatToIntBits(refV[e]))
                        err = Double.POSITIVE_INFINITY;
                return new Run(err, c.outputs());
            }
        }
    };
}
