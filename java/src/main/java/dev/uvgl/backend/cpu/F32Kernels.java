package dev.uvgl.backend.cpu;

import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.GemmShape;
import dev.uvgl.backend.Kernels;
import dev.uvgl.backend.RowShapes;
import dev.uvgl.backend.TopK;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

/**
 * The CPU kernels in float32. F64Kernels is generated from this file at build time by replacing the
 * words float/Float/F32/cblas_s/FloatPointer with their double counterparts, so the float64 gradient
 * checks exercise this very code. Rules that keep the substitution correct: "float" means the
 * element type and nothing else; no float literals with an f suffix (write (float) casts); sums
 * that must not lose precision are declared double and stay double in both.
 * Work is split with {@link Parallel} into fixed chunks, so every result is deterministic.
 */
final class F32Kernels implements Kernels {
    static final F32Kernels INSTANCE = new F32Kernels();

    /** Elements per chunk for streaming element-wise kernels: large enough to amortise a fork. */
    private static final int ELEMENTWISE_GRAIN = 1 << 16;

    private F32Kernels() {}

    private static float[] a(Tensor t) { return F32Storage.of(t); }

    private static Tensor alloc(Shape s) { return F32Storage.wrap(new float[s.numel()], s); }

    private static Tensor scalar(double v) { return F32Storage.wrap(new float[] {(float) v}, Shape.of()); }

    private static void checkSameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape()))
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }

    private static int broadcastInner(String op, Tensor a, Tensor b) {
        if (!a.shape().endsWith(b.shape()))
            throw new IllegalArgumentException(op + ": " + b.shape() + " does not broadcast to " + a.shape()
                    + " (it must equal its trailing dimensions)");
        return b.numel();
    }

    // ---------------------------------------------------------------- element-wise

    @Override public Tensor add(Tensor ta, Tensor tb) {
        int inner = broadcastInner("add", ta, tb);
        float[] x = a(ta), b = a(tb);
        Tensor out = alloc(ta.shape());
        float[] y = a(out);
        if (inner == x.length) {
            Parallel.range(x.length, ELEMENTWISE_GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) y[i] = x[i] + b[i];
            });
        } else broadcastRows(x, b, y, inner, false);
        return out;
    }

    @Override public Tensor mul(Tensor ta, Tensor tb) {
        int inner = broadcastInner("mul", ta, tb);
        float[] x = a(ta), b = a(tb);
        Tensor out = alloc(ta.shape());
        broadcastRows(x, b, a(out), inner, true);
        return out;
    }

    /** Rows combined per block (about 16 KB) through scratch copies: see broadcastRows. */
    private static final int BROADCAST_BLOCK = 4096;

    /**
     * y = x + b or x * b with b one row repeated. C2 (Java 17) vectorises a loop only when every array
     * is read at the same index, and y[o + j] = x[o + j] + b[j] is not that; so a block of rows is
     * copied into a scratch array (an intrinsic copy), combined with b repeated over the block at the
     * same index, and copied out. Measured 4-6x faster than the row loop at ConvNeXt's widths.
     */
    private static void broadcastRows(float[] x, float[] b, float[] y, int inner, boolean multiply) {
        if (inner == 0) return;
        int rows = x.length / inner, perBlock = Math.max(1, BROADCAST_BLOCK / inner), blockLen = perBlock * inner;
        float[] rep = new float[blockLen];
        for (int r = 0; r < perBlock; r++) System.arraycopy(b, 0, rep, r * inner, inner);
        Parallel.range(rows, Math.max(perBlock, Parallel.grainFor(inner, ELEMENTWISE_GRAIN)), (lo, hi) -> {
            float[] s = new float[blockLen];
            for (int r = lo; r < hi; r += perBlock) {
                int n = Math.min(perBlock, hi - r) * inner, o = r * inner;
                System.arraycopy(x, o, s, 0, n);
                if (multiply) { for (int k = 0; k < n; k++) s[k] *= rep[k]; }
                else { for (int k = 0; k < n; k++) s[k] += rep[k]; }
                System.arraycopy(s, 0, y, o, n);
            }
        });
    }

    @Override public Tensor affine(Tensor tx, double scale, double shift) {
        float[] x = a(tx);
        Tensor out = alloc(tx.shape());
        float[] y = a(out);
        float s = (float) scale, b = (float) shift;
        Parallel.range(x.length, ELEMENTWISE_GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = s * x[i] + b; });
        return out;
    }

    @Override public void addInPlace(Tensor tacc, Tensor tx) {
        checkSameShape("addInPlace", tacc, tx);
        float[] acc = a(tacc), x = a(tx);
        Parallel.range(x.length, ELEMENTWISE_GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) acc[i] += x[i]; });
    }

    @Override public Tensor sumToSuffix(Tensor tg, Shape suffix) {
        if (!tg.shape().endsWith(suffix))
            throw new IllegalArgumentException("sumToSuffix: " + suffix + " is not a suffix of " + tg.shape());
        int inner = suffix.numel();
        int rows = inner == 0 ? 0 : tg.numel() / inner;
        double[] sums = columnSums(a(tg), rows, inner);
        Tensor out = alloc(suffix);
        float[] y = a(out);
        for (int j = 0; j < inner; j++) y[j] = (float) sums[j];
        return out;
    }

    /** Column sums of a [rows, cols] matrix: per-chunk partials in double, combined in chunk order. */
    private static double[] columnSums(float[] m, int rows, int cols) {
        int grain = Math.max(1, (rows + 31) / 32);
        int chunks = Parallel.chunkCount(rows, grain);
        double[][] partial = new double[chunks][cols];
        Parallel.chunks(rows, grain, (c, lo, hi) -> {
            double[] p = partial[c];
            for (int r = lo; r < hi; r++) for (int j = 0, o = r * cols; j < cols; j++) p[j] += m[o + j];
        });
        double[] sums = new double[cols];
        for (double[] p : partial) for (int j = 0; j < cols; j++) sums[j] += p[j];
        return sums;
    }

    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    @Override public Tensor gelu(Tensor tx) {
        float[] x = a(tx);
        Tensor out = alloc(tx.shape());
        float[] y = a(out);
        Parallel.range(x.length, ELEMENTWISE_GRAIN / 4, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float v = x[i];
                y[i] = (float) 0.5 * v * (1 + Erf.erf(v * (float) INV_SQRT2));
            }
        });
        return out;
    }

    @Override public Tensor geluBackward(Tensor tx, Tensor tgy) {
        checkSameShape("geluBackward", tx, tgy);
        float[] x = a(tx), gy = a(tgy);
        Tensor out = alloc(tx.shape());
        float[] dx = a(out);
        Parallel.range(x.length, ELEMENTWISE_GRAIN / 4, (lo, hi) -> {
            // Two small loops in the element type rather than one large one: the JIT unrolls and
            // vectorises each (Erf's float overloads have no calls), not a body this size.
            for (int i = lo; i < hi; i++) dx[i] = (float) 0.5 * (1 + Erf.erf(x[i] * (float) INV_SQRT2));
            for (int i = lo; i < hi; i++) {
                float v = x[i];
                dx[i] = gy[i] * (dx[i] + v * (float) INV_SQRT_2PI * Erf.expNeg((float) 0.5 * v * v));
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- reductions

    @Override public Tensor sumAll(Tensor tx) {
        float[] x = a(tx);
        int grain = ELEMENTWISE_GRAIN;
        double[] partial = new double[Parallel.chunkCount(x.length, grain)];
        Parallel.chunks(x.length, grain, (c, lo, hi) -> {
            double s = 0;
            for (int i = lo; i < hi; i++) s += x[i];
            partial[c] = s;
        });
        double s = 0;
        for (double p : partial) s += p;
        return scalar(s);
    }

    @Override public Tensor sum(Tensor tx, int axis, boolean keepDim) {
        Shape shape = tx.shape();
        int ax = shape.axis(axis), outer = shape.outer(ax), n = shape.dim(ax), inner = shape.inner(ax);
        float[] x = a(tx);
        Tensor out = alloc(shape.reduce(ax, keepDim));
        float[] y = a(out);
        Parallel.range(outer, Parallel.grainFor(n * inner, ELEMENTWISE_GRAIN), (lo, hi) -> {
            double[] acc = new double[inner];
            for (int o = lo; o < hi; o++) {
                java.util.Arrays.fill(acc, 0);
                for (int c = 0; c < n; c++)
                    for (int i = 0, base = (o * n + c) * inner; i < inner; i++) acc[i] += x[base + i];
                for (int i = 0; i < inner; i++) y[o * inner + i] = (float) acc[i];
            }
        });
        return out;
    }

    @Override public Tensor broadcastAlong(Tensor tg, Shape xShape, int axis) {
        int ax = xShape.axis(axis), outer = xShape.outer(ax), n = xShape.dim(ax), inner = xShape.inner(ax);
        if (tg.numel() != outer * inner)
            throw new IllegalArgumentException("broadcastAlong: " + tg.shape() + " is not " + xShape
                    + " reduced over axis " + axis);
        float[] g = a(tg);
        Tensor out = alloc(xShape);
        float[] y = a(out);
        Parallel.range(outer, Parallel.grainFor(n * inner, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int o = lo; o < hi; o++)
                for (int c = 0; c < n; c++) System.arraycopy(g, o * inner, y, (o * n + c) * inner, inner);
        });
        return out;
    }

    // ---------------------------------------------------------------- GEMM

    @Override public Tensor matmul(Tensor ta, boolean transA, Tensor tb, boolean transB) {
        GemmShape g = GemmShape.of(ta, transA, tb, transB);
        int m = g.m(), n = g.n(), k = g.k();
        Tensor out = alloc(Shape.of(m, n));
        gemm(transA, transB, m, n, k, a(ta), 0, ta.dim(1), a(tb), 0, tb.dim(1), 0, a(out), 0, n);
        return out;
    }

    /** Per-thread off-heap staging buffers for BLAS (A, B, C), grown on demand. */
    private static final ThreadLocal<FloatPointer[]> STAGING = ThreadLocal.withInitial(() -> new FloatPointer[3]);

    private static FloatPointer staging(int slot, long elements) {
        FloatPointer[] s = STAGING.get();
        if (s[slot] == null || s[slot].capacity() < elements) {
            if (s[slot] != null) s[slot].close();
            s[slot] = new FloatPointer(Math.max(elements, 1));
        }
        return s[slot];
    }

    static {
        // One BLAS thread: large GEMMs are split over the engine's own pool instead (gemm below).
        // OpenBLAS's workers spin while they wait; on this 2-core machine shared with other processes
        // that made training steps 2.4x slower (bench train-step, OPENBLAS_NUM_THREADS 2 vs 1, same load).
        Blas.singleThreaded();
    }

    /** Below this many flops a GEMM runs as one BLAS call; above, it is split into blocks run in parallel. */
    private static final long PARALLEL_GEMM_FLOPS = 1L << 22;
    /** Blocks per split GEMM: a count fixed by the shape (never by the machine), so results are reproducible. */
    private static final int GEMM_BLOCKS = 8, GEMM_MIN_ROWS = 64;

    /**
     * C = op(A) op(B) + beta C, row-major, on sub-matrices given by offset and leading dimension.
     * Large products are split into blocks over the pool: by rows of C when A is not transposed, else
     * (weight gradients: a long shared dimension, small C) by the shared dimension, with the partial
     * products summed in block order. Each block also stages its own operands, so copies run in
     * parallel and stay in cache.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     double beta, float[] c, int offC, int ldc) {
        if (m == 0 || n == 0) return;
        long flops = 2L * m * n * k;
        if (flops >= PARALLEL_GEMM_FLOPS && !transA && m >= 2 * GEMM_MIN_ROWS) {
            int rows = Math.max(GEMM_MIN_ROWS, (m + GEMM_BLOCKS - 1) / GEMM_BLOCKS);
            Parallel.range(m, rows, (lo, hi) ->
                    gemmStaged(false, transB, hi - lo, n, k, a, offA + lo * lda, lda, b, offB, ldb, beta, c,
                            offC + lo * ldc, ldc));
            return;
        }
        if (flops >= PARALLEL_GEMM_FLOPS && transA && beta == 0 && k >= 2 * GEMM_MIN_ROWS) {
            int depth = Math.max(GEMM_MIN_ROWS, (k + GEMM_BLOCKS - 1) / GEMM_BLOCKS);
            float[][] partial = new float[Parallel.chunkCount(k, depth)][];
            Parallel.chunks(k, depth, (blk, lo, hi) -> {
                float[] p = new float[m * n];
                gemmStaged(true, transB, m, n, hi - lo, a, offA + lo * lda, lda, b,
                        transB ? offB + lo : offB + lo * ldb, ldb, 0, p, 0, n);
                partial[blk] = p;
            });
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (float[] p : partial) sum += p[i * n + j];
                    c[offC + i * ldc + j] = sum;
                }
            return;
        }
        gemmStaged(transA, transB, m, n, k, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /**
     * One BLAS call on operands copied to this thread's off-heap staging buffers: JavaCPP would
     * otherwise copy every array in and back out through JNI, and measured here the explicit copies
     * recover most of the off-heap rate (README, "CPU storage").
     */
    private static void gemmStaged(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                   double beta, float[] c, int offC, int ldc) {
        if (m == 0 || n == 0) return;
        int aRows = transA ? k : m, bRows = transB ? n : k;
        int aSpan = span(aRows, transA ? m : k, lda), bSpan = span(bRows, transB ? k : n, ldb), cSpan = span(m, n, ldc);
        FloatPointer pa = staging(0, aSpan), pb = staging(1, bSpan), pc = staging(2, cSpan);
        pa.position(0).put(a, offA, aSpan);
        pb.position(0).put(b, offB, bSpan);
        boolean strided = ldc != n;
        if (beta != 0 || strided) pc.position(0).put(c, offC, cSpan);
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, (float) 1.0, pa, lda, pb, ldb, (float) beta, pc, ldc);
        pc.position(0).get(c, offC, cSpan);
    }

    private static int span(int rows, int cols, int ld) { return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols; }

    // ---------------------------------------------------------------- convolution (x NHWC, w OIHW)

    @Override public Tensor conv2d(Tensor tx, Tensor tw, Tensor tbias, Conv2dGeometry g) {
        checkConv(tx, tw, g);
        Tensor out = alloc(g.outputShape());
        if (g.depthwise() && unitStride(g)) depthwiseForwardRows(a(tx), a(tw), g, a(out));
        else if (g.depthwise()) depthwiseForward(a(tx), a(tw), g, a(out));
        else {
            int rows = g.n() * g.outH() * g.outW(), kdim = g.cinPerGroup() * g.kh() * g.kw(), cog = g.coutPerGroup();
            float[] col = new float[rows * kdim];
            for (int grp = 0; grp < g.groups(); grp++) {
                im2col(a(tx), g, grp, col);
                gemm(false, true, rows, cog, kdim, col, 0, kdim, a(tw), grp * cog * kdim, kdim, 0, a(out),
                        grp * cog, g.cout());
            }
        }
        if (tbias != null) {
            if (tbias.numel() != g.cout())
                throw new IllegalArgumentException("conv2d bias has " + tbias.numel() + " elements, want " + g.cout());
            float[] y = a(out), b = a(tbias);
            int c = g.cout();
            Parallel.range(y.length / c, Parallel.grainFor(c, ELEMENTWISE_GRAIN), (lo, hi) -> {
                for (int r = lo; r < hi; r++) for (int j = 0; j < c; j++) y[r * c + j] += b[j];
            });
        }
        return out;
    }

    @Override public Tensor conv2dBackwardInput(Tensor tgy, Tensor tw, Conv2dGeometry g) {
        if (!tgy.shape().equals(g.outputShape()))
            throw new IllegalArgumentException("conv2dBackwardInput: gradient " + tgy.shape() + " != output "
                    + g.outputShape());
        Tensor out = alloc(g.inputShape());
        if (g.depthwise() && unitStride(g)) { depthwiseBackwardInputRows(a(tgy), a(tw), g, a(out)); return out; }
        if (g.depthwise()) { depthwiseBackwardInput(a(tgy), a(tw), g, a(out)); return out; }
        int rows = g.n() * g.outH() * g.outW(), kdim = g.cinPerGroup() * g.kh() * g.kw(), cog = g.coutPerGroup();
        float[] col = new float[rows * kdim];
        for (int grp = 0; grp < g.groups(); grp++) {
            // dcol = gy_g [rows, cog] x W_g [cog, kdim]
            gemm(false, false, rows, kdim, cog, a(tgy), grp * cog, g.cout(), a(tw), grp * cog * kdim, kdim, 0,
                    col, 0, kdim);
            col2imAdd(col, g, grp, a(out));
        }
        return out;
    }

    @Override public Tensor conv2dBackwardWeight(Tensor tx, Tensor tgy, Conv2dGeometry g) {
        Tensor out = alloc(g.weightShape());
        if (g.depthwise() && unitStride(g)) { depthwiseBackwardWeightRows(a(tx), a(tgy), g, a(out)); return out; }
        if (g.depthwise()) { depthwiseBackwardWeight(a(tx), a(tgy), g, a(out)); return out; }
        int rows = g.n() * g.outH() * g.outW(), kdim = g.cinPerGroup() * g.kh() * g.kw(), cog = g.coutPerGroup();
        float[] col = new float[rows * kdim];
        for (int grp = 0; grp < g.groups(); grp++) {
            im2col(a(tx), g, grp, col);
            // dW_g [cog, kdim] = gy_g^T [cog, rows] x col [rows, kdim]
            gemm(true, false, cog, kdim, rows, a(tgy), grp * cog, g.cout(), col, 0, kdim, 0, a(out),
                    grp * cog * kdim, kdim);
        }
        return out;
    }

    private static void checkConv(Tensor x, Tensor w, Conv2dGeometry g) {
        if (!x.shape().equals(g.inputShape()))
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " != geometry " + g.inputShape());
        if (!w.shape().equals(g.weightShape()))
            throw new IllegalArgumentException("conv2d: weight " + w.shape() + " != geometry " + g.weightShape());
    }

    /**
     * col[r, (ci * kh + i) * kw + j] = x[n, oh*s - p + i, ow*s - p + j, grp*cinG + ci] (0 outside):
     * PyTorch's OIHW order.
     */
    private static void im2col(float[] x, Conv2dGeometry g, int grp, float[] col) {
        int oh = g.outH(), ow = g.outW(), cig = g.cinPerGroup(), kh = g.kh(), kw = g.kw(), kdim = cig * kh * kw;
        Parallel.range(g.n() * oh, Parallel.grainFor(ow * kdim, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / oh, y = nr % oh;
                for (int xo = 0; xo < ow; xo++) {
                    int base = (nr * ow + xo) * kdim;
                    for (int i = 0; i < kh; i++) {
                        int ih = y * g.strideH() - g.padH() + i;
                        for (int j = 0; j < kw; j++) {
                            int iw = xo * g.strideW() - g.padW() + j;
                            boolean inside = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
                            int src = inside ? ((n * g.h() + ih) * g.w() + iw) * g.cin() + grp * cig : 0;
                            for (int ci = 0; ci < cig; ci++)
                                col[base + (ci * kh + i) * kw + j] = inside ? x[src + ci] : 0;
                        }
                    }
                }
            }
        });
    }

    /** dx += scatter of dcol (the adjoint of im2col); images are independent, so chunks never collide. */
    private static void col2imAdd(float[] col, Conv2dGeometry g, int grp, float[] dx) {
        int oh = g.outH(), ow = g.outW(), cig = g.cinPerGroup(), kh = g.kh(), kw = g.kw(), kdim = cig * kh * kw;
        Parallel.range(g.n(), 1, (lo, hi) -> {
            for (int n = lo; n < hi; n++)
                for (int y = 0; y < oh; y++)
                    for (int xo = 0; xo < ow; xo++) {
                        int base = ((n * oh + y) * ow + xo) * kdim;
                        for (int i = 0; i < kh; i++) {
                            int ih = y * g.strideH() - g.padH() + i;
                            if (ih < 0 || ih >= g.h()) continue;
                            for (int j = 0; j < kw; j++) {
                                int iw = xo * g.strideW() - g.padW() + j;
                                if (iw < 0 || iw >= g.w()) continue;
                                int dst = ((n * g.h() + ih) * g.w() + iw) * g.cin() + grp * cig;
                                for (int ci = 0; ci < cig; ci++) dx[dst + ci] += col[base + (ci * kh + i) * kw + j];
                            }
                        }
                    }
        });
    }

    /** Weight [C, 1, kh, kw] as [kh*kw, C], so the channel loop reads both operands contiguously. */
    private static float[] tapsByChannel(float[] w, Conv2dGeometry g) {
        int c = g.cin(), taps = g.kh() * g.kw();
        float[] t = new float[taps * c];
        for (int ch = 0; ch < c; ch++) for (int k = 0; k < taps; k++) t[k * c + ch] = w[ch * taps + k];
        return t;
    }

    // ---- depthwise, stride 1: whole rows at a time ----
    // With NHWC and stride 1, tap (i, j) pairs an output row with an input row shifted by j columns,
    // both contiguous over (column, channel). Each step below is a multiply-add over a whole row of
    // (columns x C) elements with every array read at the same index: the JIT (C2 in Java 17)
    // vectorises only that form, not one with different offsets per array. So the shifted input row
    // is first copied (zero-padded) into a scratch row, and each tap's C weights are repeated along
    // the row once per call.

    private static boolean unitStride(Conv2dGeometry g) { return g.strideH() == 1 && g.strideW() == 1; }

    /** taps[i * kw + j][col * C + ch] = w[ch, 0, i, j] for `width` columns. */
    private static float[][] tapRows(float[] w, Conv2dGeometry g, int width) {
        int c = g.cin(), taps = g.kh() * g.kw();
        float[][] r = new float[taps][width * c];
        for (int k = 0; k < taps; k++)
            for (int x = 0; x < width; x++)
                for (int ch = 0; ch < c; ch++) r[k][x * c + ch] = w[ch * taps + k];
        return r;
    }

    /**
     * out[col * C + ch] = src[rowBase + (col + shift) * C + ch]
     * for 0 <= col + shift < srcWidth, else 0; `width` columns.
     */
    private static void shiftedRow(float[] src, int rowBase, int srcWidth, int c, int shift, int width, float[] out) {
        int from = Math.max(0, -shift), to = Math.max(from, Math.min(width, srcWidth - shift));
        if (from > 0) java.util.Arrays.fill(out, 0, Math.min(from, width) * c, 0);
        if (to > from) System.arraycopy(src, rowBase + (from + shift) * c, out, from * c, (to - from) * c);
        if (to < width) java.util.Arrays.fill(out, Math.max(to, Math.min(from, width)) * c, width * c, 0);
    }

    private static void multiplyAdd(float[] acc, float[] a, float[] b, int len) {
        for (int k = 0; k < len; k++) acc[k] += a[k] * b[k];
    }

    private static void depthwiseForwardRows(float[] x, float[] w, Conv2dGeometry g, float[] y) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kh = g.kh(), kw = g.kw(), len = ow * c;
        float[][] taps = tapRows(w, g, ow);
        Parallel.range(g.n() * oh, Parallel.grainFor(len * kh * kw, ELEMENTWISE_GRAIN), (lo, hi) -> {
            float[] xs = new float[len], acc = new float[len];
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / oh, yo = nr % oh;
                java.util.Arrays.fill(acc, 0);
                for (int i = 0; i < kh; i++) {
                    int ih = yo - g.padH() + i;
                    if (ih < 0 || ih >= g.h()) continue;
                    for (int j = 0; j < kw; j++) {
                        shiftedRow(x, (n * g.h() + ih) * g.w() * c, g.w(), c, j - g.padW(), ow, xs);
                        multiplyAdd(acc, xs, taps[i * kw + j], len);
                    }
                }
                System.arraycopy(acc, 0, y, nr * len, len);
            }
        });
    }

    /**
     * dx[n, ih, iw] = sum over taps of gy[n, ih + padH - i, iw + padW - j] * w[i, j]:
     * the same row scheme, reversed shifts.
     */
    private static void depthwiseBackwardInputRows(float[] gy, float[] w, Conv2dGeometry g, float[] dx) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kh = g.kh(), kw = g.kw(), width = g.w(), len = width * c;
        float[][] taps = tapRows(w, g, width);
        Parallel.range(g.n() * g.h(), Parallel.grainFor(len * kh * kw, ELEMENTWISE_GRAIN), (lo, hi) -> {
            float[] gs = new float[len], acc = new float[len];
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / g.h(), ih = nr % g.h();
                java.util.Arrays.fill(acc, 0);
                for (int i = 0; i < kh; i++) {
                    int yo = ih + g.padH() - i;
                    if (yo < 0 || yo >= oh) continue;
                    for (int j = 0; j < kw; j++) {
                        shiftedRow(gy, (n * oh + yo) * ow * c, ow, c, g.padW() - j, width, gs);
                        multiplyAdd(acc, gs, taps[i * kw + j], len);
                    }
                }
                System.arraycopy(acc, 0, dx, nr * len, len);
            }
        });
    }

    private static void depthwiseBackwardWeightRows(float[] x, float[] gy, Conv2dGeometry g, float[] dw) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kh = g.kh(), kw = g.kw(), taps = kh * kw, len = ow * c;
        // At most 8 chunks (a count fixed by the shape, not the machine): each chunk allocates and folds
        // taps x row accumulators, which would cost as much as the work itself with many small chunks.
        int rows = g.n() * oh, grain = Math.max(1, (rows + 7) / 8);
        double[][] partial = new double[Parallel.chunkCount(rows, grain)][];
        Parallel.chunks(rows, grain, (chunk, lo, hi) -> {
            // Per tap, per output column and channel, over this chunk's rows; folded over columns after.
            float[][] acc = new float[taps][len];
            float[] xs = new float[len], gs = new float[len];
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / oh, yo = nr % oh;
                System.arraycopy(gy, nr * len, gs, 0, len);
                for (int i = 0; i < kh; i++) {
                    int ih = yo - g.padH() + i;
                    if (ih < 0 || ih >= g.h()) continue;
                    for (int j = 0; j < kw; j++) {
                        shiftedRow(x, (n * g.h() + ih) * g.w() * c, g.w(), c, j - g.padW(), ow, xs);
                        multiplyAdd(acc[i * kw + j], xs, gs, len);
                    }
                }
            }
            double[] p = new double[taps * c];
            for (int k = 0; k < taps; k++)
                for (int xo = 0; xo < ow; xo++)
                    for (int ch = 0; ch < c; ch++) p[k * c + ch] += acc[k][xo * c + ch];
            partial[chunk] = p;
        });
        sumTapPartials(partial, taps, c, dw);
    }

    private static void depthwiseForward(float[] x, float[] w, Conv2dGeometry g, float[] y) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kw = g.kw();
        float[] t = tapsByChannel(w, g);
        Parallel.range(g.n() * oh, Parallel.grainFor(ow * c * g.kh() * kw, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / oh, yo = nr % oh;
                for (int xo = 0; xo < ow; xo++) {
                    int dst = (nr * ow + xo) * c;
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = yo * g.strideH() - g.padH() + i;
                        if (ih < 0 || ih >= g.h()) continue;
                        for (int j = 0; j < kw; j++) {
                            int iw = xo * g.strideW() - g.padW() + j;
                            if (iw < 0 || iw >= g.w()) continue;
                            int src = ((n * g.h() + ih) * g.w() + iw) * c, tap = (i * kw + j) * c;
                            for (int ch = 0; ch < c; ch++) y[dst + ch] += x[src + ch] * t[tap + ch];
                        }
                    }
                }
            }
        });
    }

    /** dx[n, ih, iw, c] = sum over taps that read it of gy * w: a gather, so each chunk owns its rows. */
    private static void depthwiseBackwardInput(float[] gy, float[] w, Conv2dGeometry g, float[] dx) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW();
        float[] t = tapsByChannel(w, g);
        Parallel.range(g.n() * g.h(), Parallel.grainFor(g.w() * c * kh * kw, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / g.h(), ih = nr % g.h();
                for (int iw = 0; iw < g.w(); iw++) {
                    int dst = (nr * g.w() + iw) * c;
                    for (int i = 0; i < kh; i++) {
                        int num = ih + g.padH() - i;
                        if (num < 0 || num % sh != 0 || num / sh >= oh) continue;
                        int yo = num / sh;
                        for (int j = 0; j < kw; j++) {
                            int numw = iw + g.padW() - j;
                            if (numw < 0 || numw % sw != 0 || numw / sw >= ow) continue;
                            int src = ((n * oh + yo) * ow + numw / sw) * c, tap = (i * kw + j) * c;
                            for (int ch = 0; ch < c; ch++) dx[dst + ch] += gy[src + ch] * t[tap + ch];
                        }
                    }
                }
            }
        });
    }

    private static void depthwiseBackwardWeight(float[] x, float[] gy, Conv2dGeometry g, float[] dw) {
        int c = g.cin(), oh = g.outH(), ow = g.outW(), kh = g.kh(), kw = g.kw(), taps = kh * kw;
        int rows = g.n() * oh, grain = Math.max(1, (rows + 31) / 32);
        double[][] partial = new double[Parallel.chunkCount(rows, grain)][];
        Parallel.chunks(rows, grain, (chunk, lo, hi) -> {
            double[] p = new double[taps * c];
            float[] rowAcc = new float[c];
            for (int nr = lo; nr < hi; nr++) {
                int n = nr / oh, yo = nr % oh;
                for (int i = 0; i < kh; i++) {
                    int ih = yo * g.strideH() - g.padH() + i;
                    if (ih < 0 || ih >= g.h()) continue;
                    for (int j = 0; j < kw; j++) {
                        java.util.Arrays.fill(rowAcc, 0);
                        for (int xo = 0; xo < ow; xo++) {
                            int iw = xo * g.strideW() - g.padW() + j;
                            if (iw < 0 || iw >= g.w()) continue;
                            int src = ((n * g.h() + ih) * g.w() + iw) * c, go = (nr * ow + xo) * c;
                            for (int ch = 0; ch < c; ch++) rowAcc[ch] += x[src + ch] * gy[go + ch];
                        }
                        int tap = (i * kw + j) * c;
                        for (int ch = 0; ch < c; ch++) p[tap + ch] += rowAcc[ch];
                    }
                }
            }
            partial[chunk] = p;
        });
        sumTapPartials(partial, taps, c, dw);
    }

    /** dw[ch, tap] = sum over chunks (in chunk order) of partial[chunk][tap * c + ch]. */
    private static void sumTapPartials(double[][] partial, int taps, int c, float[] dw) {
        for (int ch = 0; ch < c; ch++)
            for (int k = 0; k < taps; k++) {
                double s = 0;
                for (double[] p : partial) s += p[k * c + ch];
                dw[ch * taps + k] = (float) s;
            }
    }

    // ---------------------------------------------------------------- LayerNorm over one axis

    @Override public Tensor[] layerNorm(Tensor tx, Tensor tgamma, Tensor tbeta, int axis, double eps) {
        Shape s = tx.shape();
        int ax = s.axis(axis), outer = s.outer(ax), c = s.dim(ax), inner = s.inner(ax);
        if (tgamma.numel() != c || tbeta.numel() != c)
            throw new IllegalArgumentException("layerNorm over axis " + axis + " of " + s + " wants gamma and beta of "
                    + c + " elements, got " + tgamma.shape() + " and " + tbeta.shape());
        float[] x = a(tx), gamma = a(tgamma), beta = a(tbeta);
        Tensor out = alloc(s), tmean = alloc(Shape.of(outer * inner)), trstd = alloc(Shape.of(outer * inner));
        float[] y = a(out), mean = a(tmean), rstd = a(trstd);
        Parallel.range(outer * inner, Parallel.grainFor(c, ELEMENTWISE_GRAIN / 4), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = (r / inner) * c * inner + r % inner;
                // A literal stride of 1 lets the JIT inline a unit-stride copy of the row loop and vectorise it.
                if (inner == 1) normalizeRow(x, y, gamma, beta, base, 1, c, eps, mean, rstd, r);
                else normalizeRow(x, y, gamma, beta, base, inner, c, eps, mean, rstd, r);
            }
        });
        return new Tensor[] {out, tmean, trstd};
    }

    private static void normalizeRow(float[] x, float[] y, float[] gamma, float[] beta, int base, int stride,
                                     int c, double eps,
                                     float[] mean, float[] rstd, int r) {
        double sum = 0;
        for (int k = 0; k < c; k++) sum += x[base + k * stride];
        double mu = sum / c, sq = 0;
        for (int k = 0; k < c; k++) { double d = x[base + k * stride] - mu; sq += d * d; }
        float fmu = (float) mu, frs = (float) (1.0 / Math.sqrt(sq / c + eps));
        for (int k = 0; k < c; k++) y[base + k * stride] = (x[base + k * stride] - fmu) * frs * gamma[k] + beta[k];
        mean[r] = fmu;
        rstd[r] = frs;
    }

    @Override
    public Tensor[] layerNormBackward(Tensor tx, Tensor tgamma, Tensor tmean, Tensor trstd, Tensor tgy, int axis) {
        checkSameShape("layerNormBackward", tx, tgy);
        Shape s = tx.shape();
        int ax = s.axis(axis), outer = s.outer(ax), c = s.dim(ax), inner = s.inner(ax), rows = outer * inner;
        float[] x = a(tx), gamma = a(tgamma), mean = a(tmean), rstd = a(trstd), gy = a(tgy);
        Tensor tdx = alloc(s), tdg = alloc(tgamma.shape()), tdb = alloc(tgamma.shape());
        float[] dx = a(tdx);
        int grain = Math.max(Parallel.grainFor(c, ELEMENTWISE_GRAIN / 4), (rows + 31) / 32);
        int chunks = Parallel.chunkCount(rows, grain);
        double[][] pg = new double[chunks][c], pb = new double[chunks][c];
        Parallel.chunks(rows, grain, (chunk, lo, hi) -> {
            double[] dg = pg[chunk], db = pb[chunk];
            for (int r = lo; r < hi; r++) {
                int base = (r / inner) * c * inner + r % inner;
                if (inner == 1) normalizeRowBackward(x, gy, gamma, dx, dg, db, base, 1, c, mean[r], rstd[r]);
                else normalizeRowBackward(x, gy, gamma, dx, dg, db, base, inner, c, mean[r], rstd[r]);
            }
        });
        float[] dgamma = a(tdg), dbeta = a(tdb);
        for (int k = 0; k < c; k++) {
            double g = 0, b = 0;
            for (int ch = 0; ch < chunks; ch++) { g += pg[ch][k]; b += pb[ch][k]; }
            dgamma[k] = (float) g;
            dbeta[k] = (float) b;
        }
        return new Tensor[] {tdx, tdg, tdb};
    }

    /** dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with dxhat = gy gamma; dgamma, dbeta accumulate. */
    private static void normalizeRowBackward(float[] x, float[] gy, float[] gamma, float[] dx, double[] dg, double[] db,
                                             int base, int stride, int c, double mu, double rs) {
        double sumD = 0, sumDX = 0;
        for (int k = 0; k < c; k++) {
            int i = base + k * stride;
            double xhat = (x[i] - mu) * rs, d = gy[i] * gamma[k];
            sumD += d;
            sumDX += d * xhat;
            dg[k] += gy[i] * xhat;
            db[k] += gy[i];
        }
        double mD = sumD / c, mDX = sumDX / c;
        for (int k = 0; k < c; k++) {
            int i = base + k * stride;
            double xhat = (x[i] - mu) * rs;
            dx[i] = (float) (rs * (gy[i] * gamma[k] - mD - xhat * mDX));
        }
    }

    // ---------------------------------------------------------------- pooling (NHWC -> [N, C])

    @Override public Tensor globalAvgPool(Tensor tx) {
        if (tx.rank() != 4) throw new IllegalArgumentException("globalAvgPool wants NHWC, got " + tx.shape());
        int n = tx.dim(0), hw = tx.dim(1) * tx.dim(2), c = tx.dim(3);
        float[] x = a(tx);
        Tensor out = alloc(Shape.of(n, c));
        float[] y = a(out);
        Parallel.range(n, 1, (lo, hi) -> {
            double[] acc = new double[c];
            for (int b = lo; b < hi; b++) {
                java.util.Arrays.fill(acc, 0);
                for (int p = 0; p < hw; p++) for (int ch = 0, o = (b * hw + p) * c; ch < c; ch++) acc[ch] += x[o + ch];
                for (int ch = 0; ch < c; ch++) y[b * c + ch] = (float) (acc[ch] / hw);
            }
        });
        return out;
    }

    @Override public Tensor globalAvgPoolBackward(Tensor tgy, Shape xShape) {
        int n = xShape.dim(0), hw = xShape.dim(1) * xShape.dim(2), c = xShape.dim(3);
        float[] gy = a(tgy);
        Tensor out = alloc(xShape);
        float[] dx = a(out);
        float inv = (float) (1.0 / hw);
        Parallel.range(n * hw, Parallel.grainFor(c, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++)
                for (int ch = 0, g = (r / hw) * c; ch < c; ch++) dx[r * c + ch] = gy[g + ch] * inv;
        });
        return out;
    }

    // ---------------------------------------------------------------- row-wise (last axis)

    @Override public Tensor l2Normalize(Tensor tx, double eps) {
        int d = tx.shape().last(), rows = tx.numel() / Math.max(1, d);
        float[] x = a(tx);
        Tensor out = alloc(tx.shape());
        float[] y = a(out);
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                double sq = 0;
                for (int j = 0, o = r * d; j < d; j++) sq += (double) x[o + j] * x[o + j];
                double inv = 1.0 / Math.max(Math.sqrt(sq), eps);
                for (int j = 0, o = r * d; j < d; j++) y[o + j] = (float) (x[o + j] * inv);
            }
        });
        return out;
    }

    @Override public Tensor l2NormalizeBackward(Tensor tx, Tensor tgy, double eps) {
        checkSameShape("l2NormalizeBackward", tx, tgy);
        int d = tx.shape().last(), rows = tx.numel() / Math.max(1, d);
        float[] x = a(tx), gy = a(tgy);
        Tensor out = alloc(tx.shape());
        float[] dx = a(out);
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * d;
                double sq = 0, dot = 0;
                for (int j = 0; j < d; j++) {
                    sq += (double) x[o + j] * x[o + j];
                    dot += (double) x[o + j] * gy[o + j];
                }
                double norm = Math.sqrt(sq);
                if (norm > eps) {
                    // y = x / |x|: dx = (gy - y (y . gy)) / |x|
                    double inv = 1.0 / norm, k = dot * inv * inv * inv;
                    for (int j = 0; j < d; j++) dx[o + j] = (float) (gy[o + j] * inv - x[o + j] * k);
                } else {
                    for (int j = 0; j < d; j++) dx[o + j] = (float) (gy[o + j] / eps);
                }
            }
        });
        return out;
    }

    @Override public Tensor softmax(Tensor tx) { return softmaxRows(tx, false, 1.0); }

    @Override public Tensor logSoftmax(Tensor tx) { return softmaxRows(tx, true, 1.0); }

    /** softmax (or log-softmax) of x / temperature per row, max-subtracted, sums in double. */
    private static Tensor softmaxRows(Tensor tx, boolean log, double temperature) {
        int d = tx.shape().last(), rows = tx.numel() / Math.max(1, d);
        float[] x = a(tx);
        Tensor out = alloc(tx.shape());
        float[] y = a(out);
        double invT = 1.0 / temperature;
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN / 4), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * d;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < d; j++) max = Math.max(max, x[o + j] * invT);
                double sum = 0;
                for (int j = 0; j < d; j++) sum += Math.exp(x[o + j] * invT - max);
                double logSum = Math.log(sum) + max;
                for (int j = 0; j < d; j++) {
                    double lp = x[o + j] * invT - logSum;
                    y[o + j] = (float) (log ? lp : Math.exp(lp));
                }
            }
        });
        return out;
    }

    @Override public Tensor softmaxBackward(Tensor ty, Tensor tgy) { return softmaxRowsBackward(ty, tgy, false); }

    @Override public Tensor logSoftmaxBackward(Tensor ty, Tensor tgy) { return softmaxRowsBackward(ty, tgy, true); }

    /**
     * With p the probabilities (y, or exp(y) for log-softmax): softmax dx = p (gy - sum(p gy));
     * log-softmax dx = gy - p sum(gy).
     */
    private static Tensor softmaxRowsBackward(Tensor ty, Tensor tgy, boolean log) {
        checkSameShape(log ? "logSoftmaxBackward" : "softmaxBackward", ty, tgy);
        int d = ty.shape().last(), rows = ty.numel() / Math.max(1, d);
        float[] y = a(ty), gy = a(tgy);
        Tensor out = alloc(ty.shape());
        float[] dx = a(out);
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) s += log ? gy[o + j] : (double) y[o + j] * gy[o + j];
                for (int j = 0; j < d; j++)
                    dx[o + j] = (float) (log ? gy[o + j] - Math.exp(y[o + j]) * s : y[o + j] * (gy[o + j] - s));
            }
        });
        return out;
    }

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] labels, double temperature) {
        int rows = RowShapes.checkLabels(logits, labels), d = logits.shape().last();
        Tensor probs = softmaxRows(logits, false, temperature);
        float[] p = a(probs);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            // -log p[label], recomputed from the logits so a probability that underflowed to 0 gives a finite loss
            loss -= logProbAt(a(logits), r * d, d, labels[r], 1.0 / temperature);
        }
        return new Tensor[] {scalar(loss / rows), probs};
    }

    private static double logProbAt(float[] x, int o, int d, int j, double invT) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < d; k++) max = Math.max(max, x[o + k] * invT);
        double sum = 0;
        for (int k = 0; k < d; k++) sum += Math.exp(x[o + k] * invT - max);
        return x[o + j] * invT - max - Math.log(sum);
    }

    @Override public Tensor softmaxCrossEntropyBackward(Tensor tprobs, int[] labels, double temperature, Tensor gLoss) {
        int rows = RowShapes.checkLabels(tprobs, labels), d = tprobs.shape().last();
        float[] p = a(tprobs);
        double k = gLoss.item() / (rows * temperature);
        Tensor out = alloc(tprobs.shape());
        float[] dx = a(out);
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * d;
                for (int j = 0; j < d; j++) dx[o + j] = (float) (k * (p[o + j] - (j == labels[r] ? 1.0 : 0.0)));
            }
        });
        return out;
    }

    @Override public Tensor klUniform(Tensor tp) {
        int d = tp.shape().last(), rows = tp.numel() / Math.max(1, d);
        float[] p = a(tp);
        double logU = -Math.log(d), s = 0;
        for (int i = 0; i < p.length; i++) s += logU - Math.log(p[i]);
        return scalar(s / d / rows);
    }

    @Override public Tensor klUniformBackward(Tensor tp, Tensor gLoss) {
        int d = tp.shape().last(), rows = tp.numel() / Math.max(1, d);
        float[] p = a(tp);
        double k = -gLoss.item() / ((double) d * rows);
        Tensor out = alloc(tp.shape());
        float[] dp = a(out);
        Parallel.range(p.length, ELEMENTWISE_GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) dp[i] = (float) (k / p[i]);
        });
        return out;
    }

    /** NaN ranks above every number, as in PyTorch's topk. */
    private static boolean ranksAbove(float v, float w) { return (v != v && w == w) || v > w; }

    @Override public TopK topk(Tensor tx, int k) {
        int d = tx.shape().last(), rows = tx.numel() / Math.max(1, d);
        if (k < 1 || k > d)
            throw new IllegalArgumentException("topk: k=" + k + " must be in [1, " + d + "] for rows of " + tx.shape());
        float[] x = a(tx);
        Tensor values = alloc(tx.shape().withLast(k));
        float[] v = a(values);
        int[] idx = new int[rows * k];
        Parallel.range(rows, Parallel.grainFor(d, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = r * k, filled = 0;
                for (int j = 0; j < d; j++) {
                    float val = x[r * d + j];
                    // Scanning in index order, a value equal to the k-th never displaces it: ties keep the lower index.
                    if (filled == k && !ranksAbove(val, v[o + k - 1])) continue;
                    int pos = filled < k ? filled++ : k - 1;
                    while (pos > 0 && ranksAbove(val, v[o + pos - 1])) {
                        v[o + pos] = v[o + pos - 1];
                        idx[o + pos] = idx[o + pos - 1];
                        pos--;
                    }
                    v[o + pos] = val;
                    idx[o + pos] = j;
                }
            }
        });
        return new TopK(values, idx, k);
    }

    /** Queries a tile at a time, so at most NEAREST_SCORES similarities are held, never Q x N. */
    @Override public TopK nearestRows(Tensor tq, Tensor tkeys, int k) {
        RowShapes.checkNearest(tq, tkeys, k);
        int q = tq.dim(0), n = tkeys.dim(0), d = tq.dim(1);
        int tile = Math.max(1, Math.min(Math.max(q, 1), NEAREST_SCORES / Math.max(1, n)));
        float[] queries = a(tq);
        Tensor values = alloc(Shape.of(q, k));
        float[] v = a(values);
        int[] idx = new int[q * k];
        for (int lo = 0; lo < q; lo += tile) {
            int hi = Math.min(q, lo + tile);
            Tensor part = F32Storage.wrap(Arrays.copyOfRange(queries, lo * d, hi * d), Shape.of(hi - lo, d));
            TopK t = topk(matmul(part, false, tkeys, true), k);
            System.arraycopy(a(t.values()), 0, v, lo * k, (hi - lo) * k);
            System.arraycopy(t.indices(), 0, idx, lo * k, (hi - lo) * k);
        }
        return new TopK(values, idx, k);
    }

    private static final int NEAREST_SCORES = 1 << 22;

    @Override public Tensor topkBackward(Tensor tgv, int[] indices, Shape xShape) {
        int d = xShape.last(), k = tgv.shape().last(), rows = tgv.numel() / Math.max(1, k);
        float[] gv = a(tgv);
        Tensor out = alloc(xShape);
        float[] dx = a(out);
        for (int r = 0; r < rows; r++) for (int j = 0; j < k; j++) dx[r * d + indices[r * k + j]] += gv[r * k + j];
        return out;
    }

    // ---------------------------------------------------------------- layout

    @Override public Tensor gatherRows(Tensor tx, int[] rows) {
        RowShapes.checkGather(tx, rows);
        int d = tx.dim(1);
        float[] x = a(tx);
        Tensor out = alloc(Shape.of(rows.length, d));
        float[] o = a(out);
        for (int i = 0; i < rows.length; i++) System.arraycopy(x, rows[i] * d, o, i * d, d);
        return out;
    }

    @Override public Tensor permute(Tensor tx, int[] perm) {
        Shape s = tx.shape();
        int rank = s.rank();
        if (perm.length != rank)
            throw new IllegalArgumentException("permute: " + perm.length + " axes for a rank-" + rank + " tensor " + s);
        int[] dims = s.dims(), inStrides = s.strides(), outDims = new int[rank], strideOf = new int[rank];
        boolean[] used = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int p = s.axis(perm[i]);
            if (used[p])
                throw new IllegalArgumentException("permute: axis " + perm[i] + " repeated in "
                        + java.util.Arrays.toString(perm));
            used[p] = true;
            outDims[i] = dims[p];
            strideOf[i] = inStrides[p];
        }
        float[] x = a(tx);
        Tensor out = alloc(Shape.of(outDims));
        float[] y = a(out);
        int last = rank == 0 ? 1 : outDims[rank - 1], lastStride = rank == 0 ? 0 : strideOf[rank - 1];
        int rows = rank == 0 ? 1 : y.length / Math.max(1, last);
        Parallel.range(rows, Parallel.grainFor(last, ELEMENTWISE_GRAIN), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int src = 0, rem = r;
                for (int i = rank - 2; i >= 0; i--) { src += (rem % outDims[i]) * strideOf[i]; rem /= outDims[i]; }
                for (int j = 0; j < last; j++) y[r * last + j] = x[src + j * lastStride];
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void sgdStepInPlace(Tensor tp, Tensor tg, Tensor tbuf, double lr, double momentum, double weightDecay,
            boolean firstStep) {
        checkSameShape("sgdStep", tp, tg);
        checkSameShape("sgdStep", tp, tbuf);
        float[] p = a(tp), g = a(tg), buf = a(tbuf);
        float flr = (float) lr, fm = (float) momentum, fwd = (float) weightDecay;
        Parallel.range(p.length, ELEMENTWISE_GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float d = g[i] + fwd * p[i];
                float b = firstStep ? d : fm * buf[i] + d;
                buf[i] = b;
                p[i] -= flr * b;
            }
        });
    }

    @Override
    public void adamwStepInPlace(Tensor tp, Tensor tg, Tensor tm, Tensor tv, double decay, double beta1, double beta2,
                                           double stepSize, double bc2sqrt, double eps) {
        checkSameShape("adamwStep", tp, tg);
        checkSameShape("adamwStep", tp, tm);
        checkSameShape("adamwStep", tp, tv);
        float[] p = a(tp), g = a(tg), m = a(tm), v = a(tv);
        float fd = (float) decay, b1 = (float) beta1, b2 = (float) beta2, fs = (float) stepSize, fc = (float) bc2sqrt,
                fe = (float) eps;
        float c1 = 1 - b1, c2 = 1 - b2;
        Parallel.range(p.length, ELEMENTWISE_GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                float gi = g[i];
                float pi = p[i] * fd;
                float mi = b1 * m[i] + c1 * gi;
                float vi = b2 * v[i] + c2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] = pi - fs * mi / ((float) Math.sqrt(vi) / fc + fe);
            }
        });
    }
}
