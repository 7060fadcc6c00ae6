package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.util.Progress;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

/**
 * Exact kNN on the CPU. Over the distinct rows only, the float32 Gram matrix is computed tile by tile
 * with OpenBLAS sgemm, only tiles on or above the diagonal (the product is symmetric: half the FLOPs);
 * each tile feeds per-row bounded heaps of `k + margin` candidates, from its rows and from its columns.
 * Memory: the distinct rows off-heap, one tile, the heaps: O(N*k), never N x N.
 * The candidates are then re-ranked by exact double dot products. A row whose k-th exact score is not
 * clear of its worst candidate by the float32 error bound is recomputed against every row, so the
 * lists equal exact-arithmetic ones (the dense reference's), not float32 ones.
 */
public final class BlasKnn implements KnnSearch {
    private final int tile, margin;

    /** @param tile rows per Gram tile (2048: a 16 MB tile, large enough for sgemm's full rate) */
    public BlasKnn(int tile, int margin) {
        if (tile < 1 || margin < 0) throw new IllegalArgumentException("tile " + tile + ", margin " + margin);
        this.tile = tile;
        this.margin = margin;
    }

    public static BlasKnn standard() { return new BlasKnn(2048, 8); }

    /** Rows recomputed against every row because float32 could not decide them (for tests and reports). */
    private volatile int lastFallbacks;

    public int lastFallbacks() { return lastFallbacks; }

    @Override public NeighbourLists search(UnitRows rows, IdenticalRows groups, int k, Progress.Factory progress) {
        int n = rows.n();
        if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " needs between 1 and " + n + " rows");
        int u = groups.groups(), kc = Math.min(u, k + margin);
        TopKHeaps heaps = candidates(rows, groups, kc, progress);
        int[] out = new int[n * k];
        // For rows, float32 |x.y - fl(x.y)| <= gamma_D |x||y| whatever the summation order; |x| <= 1 + 1e-6.
        double eps32 = Math.ulp(1.0f) / 2, dim = rows.dim();
        double bound = 1.01 * dim * eps32 / (1 - dim * eps32) * (1 + 1e-6) + 1e-12;
        int[] fallbacks = new int[Parallel.chunkCount(u, 256)];
        Parallel.chunks(u, 256, (chunk, lo, hi) -> {
            Ranker ranker = new Ranker(rows, groups, k, Math.max(kc, 1));
            for (int g = lo; g < hi; g++) {
                boolean exact = ranker.rank(g, heaps, kc < u, bound);
                if (!exact) {
                    fallbacks[chunk]++;
                    ranker.rankAgainstAll(g);
                }
                for (int t = 0; t < groups.size(g); t++) System.arraycopy(ranker.list, 0, out, groups.member(g, t) * k, k);
            }
        });
        lastFallbacks = Arrays.stream(fallbacks).sum();
        return new NeighbourLists(n, k, out);
    }

    /** The kc best distinct rows of every distinct row by float32 score. */
    private TopKHeaps candidates(UnitRows rows, IdenticalRows groups, int kc, Progress.Factory progress) {
        int u = groups.groups(), d = rows.dim();
        TopKHeaps heaps = new TopKHeaps(u, kc);
        int tiles = (u + tile - 1) / tile;
        float[] x = rows.data();
        try (FloatPointer all = new FloatPointer((long) u * d);
             FloatPointer product = new FloatPointer((long) Math.min(tile, u) * Math.min(tile, u));
             Progress p = progress.start("kNN tiles", (long) tiles * (tiles + 1) / 2)) {
            for (int g = 0; g < u; g++) all.position((long) g * d).put(x, groups.firstRow(g) * d, d);
            all.position(0);
            float[] block = new float[Math.min(tile, u) * Math.min(tile, u)];
            for (int i0 = 0; i0 < u; i0 += tile) {
                for (int j0 = i0; j0 < u; j0 += tile) {
                    int ti = Math.min(tile, u - i0), tj = Math.min(tile, u - j0);
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ti, tj, d, 1.0f,
                            all.getPointer((long) i0 * d), d, all.getPointer((long) j0 * d), d, 0.0f, product, tj);
                    product.position(0).get(block, 0, ti * tj);
                    offerRows(heaps, block, i0, ti, j0, tj);
                    if (j0 != i0) offerColumns(heaps, block, i0, ti, j0, tj);
                    p.step(1);
                }
            }
        }
        return heaps;
    }

    private static void offerRows(TopKHeaps heaps, float[] block, int i0, int ti, int j0, int tj) {
        Parallel.range(ti, 64, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int row = i0 + r, o = r * tj;
                for (int c = 0; c < tj; c++) {
                    float s = block[o + c];
                    if (heaps.full(row) && s < heaps.worstScore(row)) continue;
                    heaps.offer(row, s, j0 + c);
                }
            }
        });
    }

    /** The tile's columns feed the rows of the tile below the diagonal, 16 at a time for cache lines. */
    private static void offerColumns(TopKHeaps heaps, float[] block, int i0, int ti, int j0, int tj) {
        Parallel.range(tj, 64, (lo, hi) -> {
            for (int c0 = lo; c0 < hi; c0 += 16) {
                int c1 = Math.min(hi, c0 + 16);
                for (int r = 0; r < ti; r++) {
                    int o = r * tj;
                    for (int c = c0; c < c1; c++) {
                        int row = j0 + c;
                        float s = block[o + c];
                        if (heaps.full(row) && s < heaps.worstScore(row)) continue;
                        heaps.offer(row, s, i0 + r);
                    }
                }
            }
        });
    }

    /** Turns one distinct row's candidates into its exact list of k row indices. */
    private static final class Ranker {
        private final UnitRows rows;
        private final IdenticalRows groups;
        private final int k;
        final int[] list;
        private final int[] cand;
        private final double[] exact;
        private int[] runMembers = new int[16];

        Ranker(UnitRows rows, IdenticalRows groups, int k, int kc) {
            this.rows = rows;
            this.groups = groups;
            this.k = k;
            this.list = new int[k];
            this.cand = new int[Math.max(kc, k)];
            this.exact = new double[Math.max(kc, k)];
        }

        /** Ranks g's heap candidates; false when float32 rounding could hide a better row. */
        boolean rank(int g, TopKHeaps heaps, boolean someLeftOut, double bound) {
            int m = heaps.size(g), self = groups.firstRow(g);
            for (int t = 0; t < m; t++) {
                cand[t] = heaps.id(g, t);
                exact[t] = rows.dot(self, groups.firstRow(cand[t]));
            }
            sortByScoreThenId(m);
            double lastScore = fill(m);
            return !someLeftOut || heaps.worstScore(g) + bound < lastScore;
        }

        /** The exact ranking over every distinct row: its k best groups (k groups hold at least k rows). */
        void rankAgainstAll(int g) {
            int u = groups.groups(), self = groups.firstRow(g), m = 0;
            for (int c = 0; c < u; c++) {
                double s = rows.dot(self, groups.firstRow(c));
                if (m == k && s <= exact[k - 1]) continue;  // equal score loses: c is above every kept id
                int b = m == k ? k - 1 : m++;
                while (b > 0 && exact[b - 1] < s) {
                    exact[b] = exact[b - 1];
                    cand[b] = cand[b - 1];
                    b--;
                }
                exact[b] = s;
                cand[b] = c;
            }
            fill(m);
        }

        /** Fills `list` from the m candidates sorted by score; returns the score of its last entry. */
        private double fill(int m) {
            int filled = 0, t = 0;
            double last = Double.NaN;
            while (filled < k && t < m) {
                int end = t + 1;
                while (end < m && exact[end] == exact[t]) end++;
                filled = end == t + 1 ? appendGroup(cand[t], filled) : appendMerged(t, end, filled);
                last = exact[t];
                t = end;
            }
            return last;
        }

        private int appendGroup(int g, int filled) {
            for (int s = 0, size = groups.size(g); s < size && filled < k; s++) list[filled++] = groups.member(g, s);
            return filled;
        }

        /** Distinct rows at exactly equal distance: their copies interleave by row index. */
        private int appendMerged(int from, int to, int filled) {
            int count = 0;
            for (int t = from; t < to; t++) {
                int g = cand[t];
                for (int s = 0, size = Math.min(groups.size(g), k); s < size; s++) {
                    if (count == runMembers.length) runMembers = Arrays.copyOf(runMembers, 2 * count);
                    runMembers[count++] = groups.member(g, s);
                }
            }
            Arrays.sort(runMembers, 0, count);
            for (int s = 0; s < count && filled < k; s++) list[filled++] = runMembers[s];
            return filled;
        }

        /** Insertion sort: a few dozen candidates. */
        private void sortByScoreThenId(int m) {
            for (int a = 1; a < m; a++) {
                double s = exact[a];
                int c = cand[a], b = a - 1;
                while (b >= 0 && (exact[b] < s || (exact[b] == s && cand[b] > c))) {
                    exact[b + 1] = exact[b];
                    cand[b + 1] = cand[b];
                    b--;
                }
                exact[b + 1] = s;
                cand[b + 1] = c;
            }
        }
    }
}
