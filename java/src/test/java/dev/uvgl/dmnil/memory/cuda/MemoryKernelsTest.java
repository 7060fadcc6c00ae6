package dev.uvgl.dmnil.memory.cuda;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import dev.uvgl.testing.EmuKernelTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MemoryKernels on the emulated device against the CPU memory ops (and a float64 reference for the neighbour
 * mask): batches where every label repeats, memories whose row count is not a multiple of the 64-row tile (so the
 * work is split and merged), and B = 1.
 */
class MemoryKernelsTest extends EmuKernelTest {
    static final CpuBackend CPU = CpuBackend.INSTANCE;
    static final double TAU = 0.05;

    static float[] gaussian(SplittableRandom r, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (sigma * r.nextGaussian());
        return a;
    }

    /** Every label occurs 2-4 times, shuffled, as PK sampling gives. */
    static int[] repeatingLabels(SplittableRandom r, int batch, int classes) {
        int[] y = new int[batch];
        int label = r.nextInt(classes), left = 2 + r.nextInt(3);
        for (int i = 0; i < batch; i++) {
            if (left == 0 && batch - i >= 2) {
                label = (label + 1 + r.nextInt(classes - 1)) % classes;
                left = 2 + r.nextInt(3);
            }
            y[i] = label;
            left--;
        }
        for (int i = batch - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = y[i]; y[i] = y[j]; y[j] = t; }
        return y;
    }

    static double maxRel(float[] got, float[] ref, double floor) {
        assertEquals(ref.length, got.length);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            assertTrue(!Float.isNaN(got[i]), "NaN at " + i);
            worst = Math.max(worst, Math.abs((double) got[i] - ref[i]) / Math.max(Math.abs(ref[i]), floor));
        }
        return worst;
    }

    static Tensor t(float[] a, int rows, int cols) { return CPU.fromArray(a.clone(), Shape.of(rows, cols)); }

    // ---------------------------------------------------------------- momentum update

    void checkMomentum(int batch, int rows, int dim, double momentum, boolean rawFeatures, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] memory = unitRows(r, rows, dim);
        float[] x = rawFeatures ? gaussian(r, batch * dim, 3) : unitRows(r, batch, dim);
        int[] y = batch >= 2 ? repeatingLabels(r, batch, rows) : new int[] {r.nextInt(rows)};
        Tensor ref = t(memory, rows, dim);
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(ref, y, t(x, batch, dim), momentum);
        long m = up(memory);
        MemoryKernels.momentumUpdate(dev, m, rows, dim, up(y), up(x), batch, momentum);
        float[] got = down(m, rows * dim);
        // Rounded as the CPU op and its norm summed in double: equal but where a float norm is on a rounding boundary.
        assertTrue(maxRel(got, ref.toFloatArray(), 1e-3) <= 5e-7, "momentum update vs the sequential CPU loop");
    }

    @Test void momentumUpdateEqualsTheSequentialLoopWhenEveryLabelRepeats() {
        checkMomentum(24, 6, 50, 0.2, false, 1);
        checkMomentum(64, 16, 768, 0.1, false, 2);
    }

    @Test void momentumUpdateOfTheInstanceMemoryTakesRawFeatures() { checkMomentum(40, 300, 33, 0.9, true, 3); }

    @Test void momentumUpdateOfOneRow() { checkMomentum(1, 5, 17, 0.2, false, 4); }

    @Test void repeatedLabelsAreAppliedInBatchOrder() {
        // Two updates of one row in the other order give a different row: the kernel must not reorder them.
        SplittableRandom r = new SplittableRandom(5);
        int dim = 9;
        float[] memory = unitRows(r, 1, dim), x = unitRows(r, 2, dim), swapped = new float[2 * dim];
        System.arraycopy(x, dim, swapped, 0, dim);
        System.arraycopy(x, 0, swapped, dim, dim);
        Tensor inOrder = t(memory, 1, dim), reversed = t(memory, 1, dim);
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(inOrder, new int[] {0, 0}, t(x, 2, dim), 0.2);
        BackendMemoryOps.of(CPU).memoryMomentumUpdateInPlace(reversed, new int[] {0, 0}, t(swapped, 2, dim), 0.2);
        long m = up(memory);
        MemoryKernels.momentumUpdate(dev, m, 1, dim, up(new int[] {0, 0}), up(x), 2, 0.2);
        float[] got = down(m, dim);
        assertTrue(maxRel(got, inOrder.toFloatArray(), 1e-3) <= 5e-7);
        assertTrue(maxRel(got, reversed.toFloatArray(), 1e-3) > 1e-3, "the reversed order should differ visibly");
    }

    // ---------------------------------------------------------------- memory cross-entropy

    record Ce(float[] x, float[] m, int[] y, int batch, int classes, int dim) {
        static Ce of(long seed, int batch, int classes, int dim) {
            SplittableRandom r = new SplittableRandom(seed);
            return new Ce(unitRows(r, batch, dim), unitRows(r, classes, dim),
                    batch >= 2 ? repeatingLabels(r, batch, classes) : new int[] {r.nextInt(classes)},
                    batch, classes, dim);
        }
    }

    void checkCrossEntropy(Ce c, float g) {
        Tensor tx = t(c.x(), c.batch(), c.dim()), tm = t(c.m(), c.classes(), c.dim());
        Tensor[] ref = BackendMemoryOps.of(CPU).memoryCrossEntropy(tx, tm, c.y(), TAU);
        // The product memory is another set of rows (a moved memory): the
        // kernel must take the softmax from one, the product from the other.
        float[] moved = unitRows(new SplittableRandom(c.classes() * 31L + c.dim()), c.classes(), c.dim());
        Tensor tp = t(moved, c.classes(), c.dim());
        Tensor refDx = BackendMemoryOps.of(CPU).memoryCrossEntropyBackward(tx, tm, tp, c.y(), TAU, ref[1],
                CPU.fromArray(new float[] {g}, Shape.of(1)));
        long x = up(c.x()), m = up(c.m()), pm = up(moved), y = up(c.y()), loss = nan(1), lse = nan(c.batch()),
                dx = nan(c.batch() * c.dim());
        MemoryKernels.crossEntropyForward(dev, alloc, loss, lse, x, m, y, c.batch(), c.classes(), c.dim(), TAU);
        MemoryKernels.crossEntropyBackward(dev, alloc, dx, x, m, pm, y, lse, up(new float[] {g}), c.batch(),
                c.classes(), c.dim(), TAU);
        assertTrue(maxRel(down(loss, 1), ref[0].toFloatArray(), 1) <= 1e-5,
                "loss " + down(loss, 1)[0] + " vs " + ref[0].item());
        assertTrue(maxRel(down(lse, c.batch()), ref[1].toFloatArray(), 1) <= 1e-5, "log-sum-exp");
        float[] got = down(dx, c.batch() * c.dim()), want = refDx.toFloatArray();
        double worst = 0, scale = g / (c.batch() * TAU) * 0.05;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        assertTrue(worst / scale <= 2e-5, "dx normwise error " + worst / scale);
    }

    @Test void crossEntropyMatchesTheCpuOpWithTheMemorySplitOverBlocks() {
        checkCrossEntropy(Ce.of(6, 24, 130, 40), 1f);      // 3 tiles of 64 memory rows, the last one partial
        checkCrossEntropy(Ce.of(7, 70, 200, 33), 0.37f);   // two 64-row query tiles, 4 memory tiles
    }

    @Test void crossEntropyOfOneRowAndOfAWideFeature() {
        checkCrossEntropy(Ce.of(8, 1, 65, 20), 2f);
        checkCrossEntropy(Ce.of(9, 3, 70, 800), 1f);       // dx split into two 768-column slices
    }

    @Test void crossEntropyOfASingleClassHasAZeroGradient() {
        Ce c = Ce.of(10, 4, 1, 12);
        long dx = nan(4 * 12), lse = nan(4), x = up(c.x()), m = up(c.m()), y = up(c.y());
        MemoryKernels.crossEntropyForward(dev, alloc, nan(1), lse, x, m, y, 4, 1, 12, TAU);
        MemoryKernels.crossEntropyBackward(dev, alloc, dx, x, m, m, y, lse, up(new float[] {1}), 4, 1, 12, TAU);
        for (float v : down(dx, 4 * 12)) assertTrue(Math.abs(v) < 1e-4, "softmax of one class is one-hot: " + v);
    }

    // ---------------------------------------------------------------- DHML banks

    @Test void dhmlBanksMatchTheCpuOpWhenEveryLabelRepeats() {
        for (int[] s : new int[][] {{24, 6, 50}, {1, 3, 9}, {64, 30, 768}}) {
            SplittableRandom r = new SplittableRandom(s[0] * 31L + s[2]);
            int batch = s[0], rows = s[1], dim = s[2];
            float[] st = gaussian(r, rows * dim, 0.2), lt = gaussian(r, rows * dim, 0.2);
            float[] x = unitRows(r, batch, dim);
            int[] y = batch >= 2 ? repeatingLabels(r, batch, rows) : new int[] {1};
            Tensor rst = t(st, rows, dim), rlt = t(lt, rows, dim);
            double alpha = BackendMemoryOps.of(CPU).dhmlBanksUpdateInPlace(rst, rlt, y, t(x, batch, dim), 0.2, 0.7)
                    .getAsDouble();
            long dst = up(st), dlt = up(lt);
            double got = dhmlAlpha(dst, dlt, rows, dim, up(y), up(x), batch);
            assertEquals(alpha, got, 1e-12 * alpha, "alpha");
            assertTrue(maxRel(down(dst, rows * dim), rst.toFloatArray(), 1e-3) <= 1.2e-7, "short-term bank");
            assertTrue(maxRel(down(dlt, rows * dim), rlt.toFloatArray(), 1e-3) <= 1.2e-7, "long-term bank");
        }
    }

    @Test void dhmlFromZeroBanksAsTheReferenceInitialisesThem() {
        SplittableRandom r = new SplittableRandom(12);
        int batch = 16, rows = 5, dim = 24;
        float[] x = unitRows(r, batch, dim);
        int[] y = repeatingLabels(r, batch, rows);
        Tensor rst = t(new float[rows * dim], rows, dim), rlt = t(new float[rows * dim], rows, dim);
        double alpha = BackendMemoryOps.of(CPU).dhmlBanksUpdateInPlace(rst, rlt, y, t(x, batch, dim), 0.2, 0.7)
                .getAsDouble();
        long dst = up(new float[rows * dim]), dlt = up(new float[rows * dim]);
        assertEquals(alpha, dhmlAlpha(dst, dlt, rows, dim, up(y), up(x), batch), 1e-12);
        assertArrayEquals(rst.toFloatArray(), down(dst, rows * dim));
        assertArrayEquals(rlt.toFloatArray(), down(dlt, rows * dim));
    }

    /** The banks' launches, then alpha read back from the 8 bytes the kernel wrote it to. */
    private double dhmlAlpha(long st, long lt, int rows, int dim, long y, long x, int batch) {
        long alpha = nan(2);
        MemoryKernels.dhmlBanksUpdate(dev, alloc, st, lt, rows, dim, y, x, batch, 0.2, 0.7, alpha);
        int[] bits = new int[2];
        dev.copyOut(alpha, bits, 0, 2);
        return Double.longBitsToDouble((bits[0] & 0xFFFFFFFFL) | ((long) bits[1] << 32));
    }

    // ---------------------------------------------------------------- neighbour mask

    void checkMask(int batch, int n, int dim, boolean cross, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] centres = unitRows(r, 3, dim);
        java.util.function.IntFunction<float[]> clustered = rows -> {
            float[] a = new float[rows * dim];
            for (int i = 0; i < rows; i++) {
                int c = r.nextInt(3);
                double sq = 0;
                for (int e = 0; e < dim; e++) {
                    double v = centres[c * dim + e] + 0.3 * r.nextGaussian() / Math.sqrt(dim);
                    a[i * dim + e] = (float) v;
                    sq += v * v;
                }
                for (int e = 0; e < dim; e++) a[i * dim + e] = (float) (a[i * dim + e] / Math.sqrt(sq));
            }
            return a;
        };
        float[] km1 = clustered.apply(n), km2 = clustered.apply(n);
        int queryRows = cross ? batch + 3 : n;
        float[] qm1 = cross ? clustered.apply(queryRows) : km1, qm2 = cross ? clustered.apply(queryRows) : km2;
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) rows[i] = r.nextInt(queryRows);
        int words = MemoryKernels.maskWords(n);
        long w = up(new int[batch * words]), counts = up(new int[batch]);
        long dq1 = up(qm1), dq2 = cross ? up(qm2) : 0, dk1 = cross ? up(km1) : dq1, dk2 = cross ? up(km2) : up(km2);
        if (!cross) dq2 = dk2;
        MemoryKernels.neighbourMask(dev, alloc, w, counts, dq1, dq2, up(rows), batch, dk1, dk2, n, dim, 0.9f);
        int[] bits = downInts(w, batch * words), got = downInts(counts, batch);
        int total = 0;
        for (int i = 0; i < batch; i++) {
            double[] s1 = new double[n], s2 = new double[n];
            double m1 = Double.NEGATIVE_INFINITY, m2 = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < dim; e++) {
                    s1[j] += (double) qm1[rows[i] * dim + e] * km1[j * dim + e];
                    s2[j] += (double) qm2[rows[i] * dim + e] * km2[j * dim + e];
                }
                m1 = Math.max(m1, s1[j]);
                m2 = Math.max(m2, s2[j]);
            }
            double t1 = 0.9 * m1, t2 = 0.9 * m2;
            int set = 0;
            for (int j = 0; j < words * 32; j++) {
                boolean bit = (bits[i * words + j / 32] >>> (j % 32) & 1) == 1;
                set += bit ? 1 : 0;
                if (j >= n) { assertTrue(!bit, "bit past the last key"); continue; }
                boolean want = s1[j] > t1 && s2[j] > t2;
                boolean edge = Math.abs(s1[j] - t1) < 1e-5 || Math.abs(s2[j] - t2) < 1e-5;
                assertTrue(bit == want || edge, "row " + i + " key " + j);
            }
            assertEquals(set, got[i], "count of row " + i);
            total += set;
        }
        assertTrue(total > batch, "the clustered inputs should give masks with neighbours: " + total);
        assertTrue(total < batch * n, "and not full masks");
    }

    @Test void neighbourMaskWithinOneMemory() { checkMask(20, 130, 24, false, 17); }

    @Test void neighbourMaskAcrossViewsWithKeysSplitOverBlocks() { checkMask(40, 300, 16, true, 18); }

    @Test void neighbourMaskOfOneRow() { checkMask(1, 33, 8, false, 19); }
}
