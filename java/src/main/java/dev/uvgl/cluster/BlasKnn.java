package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.util.Progress;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_full.openblas_get_num_threads;
import static org.bytedeco.openblas.global.openblas_full.openblas_set_num_threads;

/**
 * Exact kNN on the CPU. Over the distinct rows only, the float32 Gram matrix is computed tile by tile
 * with OpenBLAS sgemm, only tiles on or above the diagonal (the product is symmetric: half the FLOPs);
 * each tile feeds per-row bounded top-(k + margin) candidate sets, from its rows and from its columns.
 * Memory: the distinct rows off-heap, one tile per core, the candidates: O(N*k), never N x N.
 * Candidates are then ordered exactly: float32 order where scores are farther apart than the float32
 * error bound, exact double products where they are not. A row whose last listed candidate is not clear
 * of its worst one by that bound is ranked against every row with exact products, so the lists equal
 * exact-arithmetic ones (the dense reference's), not float32 ones.
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
        TopKBuffers best = candidates(rows, groups, kc, progress);
        int[] fallbacks = new int[1];
        NeighbourLists lists = exactLists(rows, groups, k, kc, best, fallbacks);
        lastFallbacks = fallbacks[0];
        return lists;
    }

    /**
     * Each distinct row's exact list of k rows from its kc float32 candidates, from any source whose every
     * score is within float32's dot-product bound of the exact one (this class's sgemm, or a GPU kernel):
     * float32 order where scores are farther apart than twice the bound, exact double products inside
     * closer runs, and a row whose k-th listed candidate is not clear of its worst one is ranked against
     * every row exactly. fallbacks[0] receives how many rows needed that.
     */
    static NeighbourLists exactLists(UnitRows rows, IdenticalRows groups, int k, int kc, TopKBuffers best,
            int[] fallbacks) {
        int n = rows.n(), u = groups.groups();
        int[] out = new int[n * k];
        // For rows, float32 |x.y - fl(x.y)| <= gamma_D |x||y| whatever the summation order; |x| <= 1 + 1e-6.
        double eps32 = Math.ulp(1.0f) / 2, dim = rows.dim();
        double bound = 1.01 * dim * eps32 / (1 - dim * eps32) * (1 + 1e-6) + 1e-12;
        int[] perChunk = new int[Parallel.chunkCount(u, 256)];
        Parallel.chunks(u, 256, (chunk, lo, hi) -> {
            Ranker ranker = new Ranker(rows, groups, k, Math.max(kc, 1));
            for (int g = lo; g < hi; g++) {
                boolean exact = ranker.rank(g, best, kc < u, bound);
                if (!exact) {
                    perChunk[chunk]++;
                    ranker.rankAgainstAll(g);
                }
                for (int t = 0; t < groups.size(g); t++)
                    System.arraycopy(ranker.list, 0, out, groups.member(g, t) * k, k);
            }
        });
        fallbacks[0] = Arrays.stream(perChunk).sum();
        return new NeighbourLists(n, k, out);
    }

    /**
     * The kc best distinct rows of every distinct row by float32 score. One lane per core takes tiles
     * from a shared counter and runs single-threaded sgemm and selection into candidate sets of
     * its own, merged at the end: no core waits for another, nor for BLAS threads spinning between
     * calls. The merged sets are the same whichever lane took which tile (the order is total).
     */
    private TopKBuffers candidates(UnitRows rows, IdenticalRows groups, int kc, Progress.Factory progress) {
        int u = groups.groups(), d = rows.dim(), tiles = (u + tile - 1) / tile, lanes = Parallel.threads();
        int[] pairI = new int[tiles * (tiles + 1) / 2], pairJ = new int[pairI.length];
        // Diagonal tiles first: every row then starts the rest with a threshold from its own tile,
        // which spares most of the offers a cold threshold lets through.
        int p = 0;
        for (int i = 0; i < tiles; i++, p++) pairI[p] = pairJ[p] = i * tile;
        for (int i = 0; i < tiles; i++) for (int j = i + 1; j < tiles; j++, p++) {
            pairI[p] = i * tile;
            pairJ[p] = j * tile;
        }
        TopKBuffers[] laneBest = new TopKBuffers[lanes];
        AtomicInteger next = new AtomicInteger();
        float[] x = rows.data();
        int blasThreads = openblas_get_num_threads();
        openblas_set_num_threads(1);
        try (FloatPointer all = new FloatPointer((long) u * d);
                Progress bar = progress.start("kNN tiles", pairI.length)) {
            for (int g = 0; g < u; g++) all.position((long) g * d).put(x, groups.firstRow(g) * d, d);
            all.position(0);
            int side = Math.min(tile, u), ld = side;
            Parallel.chunks(lanes, 1, (lane, lo, hi) -> {
                TopKBuffers best = laneBest[lane] = new TopKBuffers(u, kc);
                float[] block = new float[side * ld], worst = new float[side];
                try (FloatPointer product = new FloatPointer((long) side * ld)) {
                    for (int q; (q = next.getAndIncrement()) < pairI.length; ) {
                        int i0 = pairI[q], j0 = pairJ[q], ti = Math.min(tile, u - i0), tj = Math.min(tile, u - j0);
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ti, tj, d, 1.0f,
                                all.getPointer((long) i0 * d), d, all.getPointer((long) j0 * d), d, 0.0f, product, ld);
                        product.position(0).get(block, 0, ti * ld);
                        offerRows(best, block, ld, i0, ti, j0, tj);
                        if (j0 != i0) offerColumns(best, block, ld, i0, ti, j0, tj, worst);
                        bar.step(1);
                    }
                }
            });
        } finally {
            openblas_set_num_threads(blasThreads);
        }
        TopKBuffers merged = laneBest[0];
        Parallel.range(u, 1024, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                for (int lane = 1; lane < lanes; lane++) {
                    TopKBuffers other = laneBest[lane];
                    if (other == null) continue;
                    other.finish(r);
                    for (int t = 0; t < other.size(r); t++) merged.offer(r, other.score(r, t), other.id(r, t));
                }
                merged.finish(r);
            }
        });
        return merged;
    }

    /** Rows i0.. of a tile (leading dimension ld) offer their scores against columns j0.. . */
    private static void offerRows(TopKBuffers best, float[] block, int ld, int i0, int ti, int j0, int tj) {
        for (int r = 0; r < ti; r++) {
            int row = i0 + r, o = r * ld;
            // Most scores lose to the row's worst kept one: a tight scan against a local, no other access.
            float worst = best.threshold(row);
            for (int c = 0; ; c++) {
                while (c < tj && block[o + c] < worst) c++;
                if (c == tj) break;
                best.offer(row, block[o + c], j0 + c);
                worst = best.threshold(row);
            }
        }
    }

    /**
     * Below the diagonal, column c of the tile is row j0 + c against rows i0.. . The tile is read row
     * by row, each score compared with its column's worst kept score held in `worst` (one cache-resident
     * array), so no transposition is needed.
     */
    private static void offerColumns(TopKBuffers best, float[] block, int ld, int i0, int ti, int j0, int tj,
            float[] worst) {
        for (int c = 0; c < tj; c++) worst[c] = best.threshold(j0 + c);
        for (int r = 0; r < ti; r++) {
            int o = r * ld;
            for (int c = 0; ; c++) {
                while (c < tj && block[o + c] < worst[c]) c++;
                if (c == tj) break;
                best.offer(j0 + c, block[o + c], i0 + r);
                worst[c] = best.threshold(j0 + c);
            }
        }
    }

    /** Turns one distinct row's candidates into its exact list of k row indices. */
    private static final class Ranker {
        private final UnitRows rows;
        private final IdenticalRows groups;
        private final int k;
        final int[] list;
        private final int[] cand;
        private final float[] f32;
        private final double[] exact;
        private int[] runMembers = new int[16];

        Ranker(UnitRows rows, IdenticalRows groups, int k, int kc) {
            this.rows = rows;
            this.groups = groups;
            this.k = k;
            this.list = new int[k];
            this.cand = new int[Math.max(kc, k)];
            this.f32 = new float[Math.max(kc, k)];
            this.exact = new double[Math.max(kc, k)];
        }

        /**
         * Ranks g's candidates. Their float32 order is the exact one wherever neighbouring scores
         * differ by more than twice the rounding bound; exact double products are taken only inside
         * runs closer than that, and order them. False when rounding could hide a better row outside the candidates.
         */
        boolean rank(int g, TopKBuffers best, boolean someLeftOut, double bound) {
            int m = best.size(g), self = groups.firstRow(g);
            for (int t = 0; t < m; t++) {
                cand[t] = best.id(g, t);
                f32[t] = best.score(g, t);
            }
            sortByFloat(m);
            for (int t = 0; t < m; ) {
                int end = t + 1;
                while (end < m && f32[end - 1] - f32[end] <= 2 * bound) end++;
                if (end - t == 1) {
                    exact[t] = Double.NaN;  // alone: its place is certain, its exact score not needed
                } else {
                    for (int q = t; q < end; q++) exact[q] = rows.dot(self, groups.firstRow(cand[q]));
                    sortByExact(t, end);
                }
                t = end;
            }
            int last = fill(m);
            // A row outside the candidates scores at most worst + bound;
            // the last row listed at least its float32 score - bound.
            return !someLeftOut || f32[last] - bound > f32[m - 1] + bound;
        }

        /** The exact ranking over every distinct row: its k best groups (k groups hold at least k rows). */
        void rankAgainstAll(int g) {
            int u = groups.groups(), self = groups.firstRow(g), m = 0;
            for (int c = 0; c < u; c++) {
                double s = rows.dot(self, groups.firstRow(c));
                if (m == k && s <= exact[k - 1]) continue;  // an equal score loses: c is above every kept id
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

        /** Fills `list` from the m ranked candidates; returns the position of the last one used. */
        private int fill(int m) {
            int filled = 0, t = 0, last = 0;
            while (filled < k && t < m) {
                int end = t + 1;
                while (end < m && exact[end] == exact[t]) end++;  // NaN (unknown) equals nothing
                filled = end == t + 1 ? appendGroup(cand[t], filled) : appendMerged(t, end, filled);
                last = end - 1;
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

        /** Insertion sort of the few dozen candidates by float32 score (descending), then id. */
        private void sortByFloat(int m) {
            for (int a = 1; a < m; a++) {
                float s = f32[a];
                int c = cand[a], b = a - 1;
                while (b >= 0 && (f32[b] < s || (f32[b] == s && cand[b] > c))) {
                    f32[b + 1] = f32[b];
                    cand[b + 1] = cand[b];
                    b--;
                }
                f32[b + 1] = s;
                cand[b + 1] = c;
            }
        }

        /** Insertion sort of positions [from, to) by exact score (descending), then id; f32 moves along. */
        private void sortByExact(int from, int to) {
            for (int a = from + 1; a < to; a++) {
                double s = exact[a];
                float f = f32[a];
                int c = cand[a], b = a - 1;
                while (b >= from && (exact[b] < s || (exact[b] == s && cand[b] > c))) {
                    exact[b + 1] = exact[b];
                    f32[b + 1] = f32[b];
                    cand[b + 1] = cand[b];
                    b--;
                }
                exact[b + 1] = s;
                f32[b + 1] = f;
                cand[b + 1] = c;
            }
        }
    }
}
