package dev.uvgl.backend.cuda;

import dev.uvgl.backend.TopK;
import dev.uvgl.dmnil.memory.BackendMemoryOps;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.uvgl.backend.cuda.EmuBackends.CPU;
import static dev.uvgl.backend.cuda.EmuBackends.Pair;
import static dev.uvgl.backend.cuda.EmuBackends.assertClose;
import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static dev.uvgl.backend.cuda.EmuBackends.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every CudaBackend method on the emulated device against the CPU backend, on random inputs with odd sizes. */
class CudaBackendParityTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    private static Pair pair(long seed, double lo, double hi, int... dims) {
        Shape s = Shape.of(dims);
        return Pair.of(random(seed, s.numel(), lo, hi), s);
    }

    private static Pair pair(long seed, int... dims) { return pair(seed, -2, 2, dims); }

    @Test void creationAndTransfer() {
        CudaBackend be = emu();
        float[] data = random(1, 37, -3, 3);
        Tensor t = be.fromArray(data, Shape.of(37));
        assertArrayEquals(data, t.toFloatArray());
        assertArrayEquals(data, be.copy(t).toFloatArray());
        assertArrayEquals(new float[5], be.zeros(Shape.of(5), DType.F32).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, be.full(Shape.of(3), DType.F32, 2.5).toFloatArray());
        assertEquals(data[3], t.toDoubleArray()[3]);
        assertEquals(0, be.fromArray(new float[0], Shape.of(0, 4)).toFloatArray().length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.zeros(Shape.of(2), DType.F64));
        assertTrue(e.getMessage().contains("float32 only") && e.getMessage().contains("--device cpu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.fromArray(new double[2], Shape.of(2)));
        assertThrows(IllegalArgumentException.class, () -> be.add(t, CPU.fromArray(data, Shape.of(37))));
    }

    @Test void elementwise() {
        for (int[] dims : new int[][] {{1}, {7}, {4099}, {3, 5, 8}, {2, 9, 3}}) {
            Shape s = Shape.of(dims);
            Pair a = pair(11, dims), b = pair(12, dims);
            assertClose("add " + s, CPU.add(a.cpu(), b.cpu()), emu().add(a.dev(), b.dev()), 0);
            assertClose("mul " + s, CPU.mul(a.cpu(), b.cpu()), emu().mul(a.dev(), b.dev()), 0);
            assertClose("affine " + s, CPU.affine(a.cpu(), 1.7, -0.3), emu().affine(a.dev(), 1.7, -0.3), 1e-6);
            assertClose("gelu " + s, CPU.gelu(a.cpu()), emu().gelu(a.dev()), 1e-6);
            assertClose("geluBackward " + s, CPU.geluBackward(a.cpu(), b.cpu()),
                    emu().geluBackward(a.dev(), b.dev()), 1e-6);
            Pair acc = pair(13, dims);
            CPU.addInPlace(acc.cpu(), a.cpu());
            emu().addInPlace(acc.dev(), a.dev());
            assertClose("addInPlace " + s, acc.cpu(), acc.dev(), 0);
            // broadcast over the leading dimensions: trailing shapes with and without float4 alignment
            for (int k = 1; k < dims.length; k++) {
                int[] tail = java.util.Arrays.copyOfRange(dims, k, dims.length);
                Pair t = pair(14, tail);
                assertClose("add broadcast " + s, CPU.add(a.cpu(), t.cpu()), emu().add(a.dev(), t.dev()), 0);
                assertClose("mul broadcast " + s, CPU.mul(a.cpu(), t.cpu()), emu().mul(a.dev(), t.dev()), 0);
            }
        }
    }

    @Test void reductions() {
        for (int n : new int[] {1, 5, 4099, 70001}) {
            Pair x = pair(21, n);
            assertClose("sumAll " + n, CPU.sumAll(x.cpu()), emu().sumAll(x.dev()), 1e-6);
        }
        Pair x = pair(22, 3, 5, 7);
        for (int axis = -1; axis < 3; axis++)
            for (boolean keep : new boolean[] {false, true}) {
                assertClose("sum axis " + axis + " keep " + keep, CPU.sum(x.cpu(), axis, keep),
                        emu().sum(x.dev(), axis, keep), 1e-6);
                Tensor g = CPU.sum(x.cpu(), axis, keep);
                Pair gp = Pair.of(g.toFloatArray(), g.shape());
                assertClose("broadcastAlong " + axis, CPU.broadcastAlong(gp.cpu(), x.cpu().shape(), axis),
                        emu().broadcastAlong(gp.dev(), x.cpu().shape(), axis), 0);
            }
        Pair big = pair(23, 3, 1000, 5);
        assertClose("sum long strided axis", CPU.sum(big.cpu(), 1, false), emu().sum(big.dev(), 1, false), 1e-6);
        for (Shape suffix : new Shape[] {Shape.of(7), Shape.of(5, 7), Shape.of(), Shape.of(3, 5, 7)})
            assertClose("sumToSuffix " + suffix, CPU.sumToSuffix(x.cpu(), suffix),
                    emu().sumToSuffix(x.dev(), suffix), 1e-6);
        Pair tall = pair(24, 3001, 3);
        assertClose("sumToSuffix tall", CPU.sumToSuffix(tall.cpu(), Shape.of(3)),
                emu().sumToSuffix(tall.dev(), Shape.of(3)), 1e-6);
    }

    @Test void layerNormOverEveryAxis() {
        int[] dims = {2, 5, 3, 6};
        Pair x = pair(31, -2, 3, dims), gy = pair(32, dims);
        for (int axis : new int[] {-1, 1, 0, 2}) {
            int c = dims[Shape.of(dims).axis(axis)];
            Pair gamma = pair(33, 0.5, 1.5, c), beta = pair(34, c);
            Tensor[] want = CPU.layerNorm(x.cpu(), gamma.cpu(), beta.cpu(), axis, 1e-5);
            Tensor[] got = emu().layerNorm(x.dev(), gamma.dev(), beta.dev(), axis, 1e-5);
            for (int i = 0; i < 3; i++) assertClose("layerNorm axis " + axis + " output " + i, want[i], got[i], 2e-5);
            Tensor[] wb = CPU.layerNormBackward(x.cpu(), gamma.cpu(), want[1], want[2], gy.cpu(), axis);
            Tensor[] gb = emu().layerNormBackward(x.dev(), gamma.dev(), got[1], got[2], gy.dev(), axis);
            for (int i = 0; i < 3; i++)
                assertClose("layerNormBackward axis " + axis + " output " + i, wb[i], gb[i], 1e-4);
        }
    }

    @Test void pooling() {
        Pair x = pair(41, 3, 5, 3, 7), gy = pair(42, 3, 7);
        assertClose("globalAvgPool", CPU.globalAvgPool(x.cpu()), emu().globalAvgPool(x.dev()), 1e-6);
        assertClose("globalAvgPoolBackward", CPU.globalAvgPoolBackward(gy.cpu(), x.cpu().shape()),
                emu().globalAvgPoolBackward(gy.dev(), x.cpu().shape()), 1e-6);
    }

    @Test void rowWise() {
        for (int[] dims : new int[][] {{1, 1}, {3, 5}, {4, 300}, {2, 3, 33}}) {
            Shape s = Shape.of(dims);
            Pair x = pair(51, -3, 3, dims), gy = pair(52, dims);
            assertClose("l2Normalize " + s, CPU.l2Normalize(x.cpu(), 1e-12), emu().l2Normalize(x.dev(), 1e-12), 1e-6);
            assertClose("l2NormalizeBackward " + s, CPU.l2NormalizeBackward(x.cpu(), gy.cpu(), 1e-12),
                    emu().l2NormalizeBackward(x.dev(), gy.dev(), 1e-12), 1e-5);
            Tensor p = CPU.softmax(x.cpu()), lp = CPU.logSoftmax(x.cpu());
            assertClose("softmax " + s, p, emu().softmax(x.dev()), 1e-6);
            assertClose("logSoftmax " + s, lp, emu().logSoftmax(x.dev()), 1e-6);
            Pair pp = Pair.of(p.toFloatArray(), s), lpp = Pair.of(lp.toFloatArray(), s);
            assertClose("softmaxBackward " + s, CPU.softmaxBackward(pp.cpu(), gy.cpu()),
                    emu().softmaxBackward(pp.dev(), gy.dev()), 1e-5);
            assertClose("logSoftmaxBackward " + s, CPU.logSoftmaxBackward(lpp.cpu(), gy.cpu()),
                    emu().logSoftmaxBackward(lpp.dev(), gy.dev()), 1e-5);
        }
        Pair zeroRow = Pair.of(new float[] {0, 0, 0, 1e-14f, 0, 0}, Shape.of(2, 3)), g = pair(53, 2, 3);
        assertClose("l2Normalize below eps", CPU.l2Normalize(zeroRow.cpu(), 1e-12),
                emu().l2Normalize(zeroRow.dev(), 1e-12), 1e-6);
        assertClose("l2NormalizeBackward below eps", CPU.l2NormalizeBackward(zeroRow.cpu(), g.cpu(), 1e-12),
                emu().l2NormalizeBackward(zeroRow.dev(), g.dev(), 1e-12), 1e-5);
    }

    @Test void losses() {
        Pair logits = pair(61, -4.0, 4.0, 5, 37);
        int[] labels = {0, 36, 5, 17, 5};
        for (double t : new double[] {1.0, 0.05}) {
            // Float logits / T carry an absolute error of about |x / T|
            // 2^-24 (here up to 80 x 6e-8); the CPU divides in double.
            double tol = t < 1 ? 2e-5 : 1e-6;
            Tensor[] want = CPU.softmaxCrossEntropy(logits.cpu(), labels, t),
                    got = emu().softmaxCrossEntropy(logits.dev(), labels, t);
            assertClose("softmaxCrossEntropy loss T=" + t, want[0], got[0], tol);
            assertClose("softmaxCrossEntropy probs T=" + t, want[1], got[1], tol);
            Pair gl = Pair.of(new float[] {0.7f}, Shape.of());
            Pair probs = Pair.of(want[1].toFloatArray(), want[1].shape());
            assertClose("softmaxCrossEntropyBackward T=" + t,
                    CPU.softmaxCrossEntropyBackward(probs.cpu(), labels, t, gl.cpu()),
                    emu().softmaxCrossEntropyBackward(probs.dev(), labels, t, gl.dev()), 1e-5);
        }
        assertThrows(IllegalArgumentException.class,
                () -> emu().softmaxCrossEntropy(logits.dev(), new int[] {0, 1, 2, 3, 37}, 1.0));
        Tensor p = CPU.softmax(CPU.fromArray(random(62, 4 * 9, -1, 1), Shape.of(4, 9)));
        Pair pp = Pair.of(p.toFloatArray(), p.shape()), gl = Pair.of(new float[] {1.3f}, Shape.of(1));
        assertClose("klUniform", CPU.klUniform(pp.cpu()), emu().klUniform(pp.dev()), 1e-5);
        assertClose("klUniformBackward", CPU.klUniformBackward(pp.cpu(), gl.cpu()),
                emu().klUniformBackward(pp.dev(), gl.dev()), 1e-6);
    }

    @Test void topkWithTiesAndNaN() {
        float nan = Float.NaN;
        float[] data = {1, 3, 3, 2, nan, 3, 0, -1,
                        5, 5, 5, 5, 5, 5, 5, 5,
                        -0f, 0f, 2, nan, nan, 1, 7, 7};
        Pair x = Pair.of(data, Shape.of(3, 8));
        for (int k : new int[] {1, 3, 8}) {
            TopK want = CPU.topk(x.cpu(), k), got = emu().topk(x.dev(), k);
            assertArrayEquals(want.indices(), got.indices(), "topk indices k=" + k);
            assertClose("topk values k=" + k, want.values(), got.values(), 0);
            Pair gv = pair(71, 3, k);
            assertClose("topkBackward k=" + k, CPU.topkBackward(gv.cpu(), want.indices(), x.cpu().shape()),
                    emu().topkBackward(gv.dev(), want.indices(), x.cpu().shape()), 0);
        }
        Pair wide = pair(72, 4, 1000);
        TopK want = CPU.topk(wide.cpu(), 5), got = emu().topk(wide.dev(), 5);
        assertArrayEquals(want.indices(), got.indices());
        Pair gv = pair(73, 2, 3);
        int[] repeated = {1, 1, 4, 0, 0, 0};
        assertClose("topkBackward repeated indices", CPU.topkBackward(gv.cpu(), repeated, Shape.of(2, 6)),
                emu().topkBackward(gv.dev(), repeated, Shape.of(2, 6)), 0);
    }

    @Test void gatherRowsWithRepeatsBothWidths() {
        for (int d : new int[] {320, 7}) {
            Pair bank = pair(74, 40, d);
            int[] rows = {39, 0, 5, 5, 39, 12, 0};
            assertClose("gatherRows d=" + d, CPU.gatherRows(bank.cpu(), rows), emu().gatherRows(bank.dev(), rows), 0);
        }
        Pair bank = pair(75, 4, 8);
        assertThrows(IllegalArgumentException.class, () -> emu().gatherRows(bank.dev(), new int[] {4}));
        assertThrows(IllegalArgumentException.class, () -> CPU.gatherRows(bank.cpu(), new int[] {-1}));
    }

    /**
     * Both paths distinct (the kernel's two-similarity form) and the same tensors (the reference's),
     * queries gathered by rows with repeats. Exact: the inputs keep every similarity at least 1e-4
     * from its threshold (checked here), beyond the two GEMMs' rounding differences.
     */
    @Test void neighbourMaskEqualsTheCpuMask() {
        int m = 30, n = 300, d = 16;
        int[] rows = {0, 3, 3, 29, 17, 8, 8, 8};
        // The second path is the first plus noise, as the reference's two memories are nearly equal: independent
        // paths would rarely share a neighbour at ratio 0.9.
        float[] qa = random(76, m * d, -2, 2), ka = random(77, n * d, -2, 2), qn = random(78, m * d, -0.1, 0.1),
                kn = random(79, n * d, -0.1, 0.1);
        for (int i = 0; i < qn.length; i++) qn[i] += qa[i];
        for (int i = 0; i < kn.length; i++) kn[i] += ka[i];
        Pair q1 = Pair.of(qa, Shape.of(m, d)), k1 = Pair.of(ka, Shape.of(n, d)), q2 = Pair.of(qn, Shape.of(m, d)),
                k2 = Pair.of(kn, Shape.of(n, d));
        for (double ratio : new double[] {0.5, 0.9}) {
            int[][] want = BackendMemoryOps.of(CPU).neighbourMask(q1.cpu(), k1.cpu(), q2.cpu(), k2.cpu(), rows, ratio);
            int[][] got = BackendMemoryOps.of(emu()).neighbourMask(q1.dev(), k1.dev(), q2.dev(), k2.dev(), rows, ratio);
            int[][] same = BackendMemoryOps.of(emu()).neighbourMask(q1.dev(), k1.dev(), q1.dev(), k1.dev(), rows,
                    ratio);
            int[][] sameCpu = BackendMemoryOps.of(CPU).neighbourMask(q1.cpu(), k1.cpu(), q1.cpu(), k1.cpu(), rows,
                    ratio);
            int total = 0;
            for (int i = 0; i < rows.length; i++) {
                assertArrayEquals(want[i], got[i], "ratio " + ratio + " row " + i);
                assertArrayEquals(sameCpu[i], same[i], "one path, ratio " + ratio + " row " + i);
                total += want[i].length;
            }
            assertTrue(total > rows.length,
                    "ratio " + ratio + ": the masks must hold more than one column per row, got " + total);
            for (Pair[] path : new Pair[][] {{q1, k1}, {q2, k2}}) {
                float[] sim = CPU.matmul(CPU.gatherRows(path[0].cpu(), rows), false, path[1].cpu(), true)
                        .toFloatArray();
                for (int i = 0; i < rows.length; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) max = Math.max(max, sim[i * n + j]);
                    for (int j = 0; j < n; j++) if (sim[i * n + j] != max)
                        assertTrue(Math.abs(sim[i * n + j] - ratio * max) > 1e-4,
                                "similarity within 1e-4 of the threshold: the inputs do not test what they claim");
                }
            }
        }
    }

    @Test void permuteAnyRank() {
        Object[][] cases = {
                {new int[] {2, 3, 4, 5}, new int[] {0, 3, 1, 2}},
                {new int[] {2, 3, 4, 5}, new int[] {0, 2, 3, 1}},
                {new int[] {7, 9}, new int[] {1, 0}},
                {new int[] {3, 1, 5}, new int[] {2, 1, 0}},
                {new int[] {2, 3, 4}, new int[] {0, 1, 2}},
                {new int[] {5}, new int[] {0}},
                {new int[] {2, 3, 2, 3, 2, 3, 2}, new int[] {6, 4, 2, 0, 5, 3, 1}},
                {new int[] {2, 2, 3, 2, 3, 2, 2, 3}, new int[] {7, 5, 3, 1, 6, 4, 2, 0}},
        };
        for (Object[] c : cases) {
            int[] dims = (int[]) c[0], perm = (int[]) c[1];
            Pair x = pair(81, dims);
            assertClose("permute " + java.util.Arrays.toString(dims) + " by " + java.util.Arrays.toString(perm),
                    CPU.permute(x.cpu(), perm), emu().permute(x.dev(), perm), 0);
        }
        Pair x = pair(82, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> emu().permute(x.dev(), new int[] {0, 0}));
    }

    @Test void sgdSteps() {
        for (int n : new int[] {1, 7, 1001}) {
            Pair p = pair(91, n), buf = Pair.of(new float[n], Shape.of(n));
            for (int step = 0; step < 3; step++) {
                Pair g = pair(92 + step, n);
                CPU.sgdStepInPlace(p.cpu(), g.cpu(), buf.cpu(), 0.1, 0.9, 5e-4, step == 0);
                emu().sgdStepInPlace(p.dev(), g.dev(), buf.dev(), 0.1, 0.9, 5e-4, step == 0);
            }
            assertClose("sgd param n=" + n, p.cpu(), p.dev(), 1e-6);
            assertClose("sgd buffer n=" + n, buf.cpu(), buf.dev(), 1e-6);
        }
    }

    @Test void sgdOverAllParametersInOneLaunch() {
        int[] sizes = {1, 7, 1001, 96, 3};
        java.util.List<Pair> ps = new java.util.ArrayList<>(), bufs = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            ps.add(pair(95 + i, sizes[i]));
            bufs.add(Pair.of(new float[sizes[i]], Shape.of(sizes[i])));
        }
        for (int step = 0; step < 2; step++) {
            java.util.List<Tensor> dp = new java.util.ArrayList<>(), dg = new java.util.ArrayList<>(),
                    db = new java.util.ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                Pair g = pair(200 + 10 * step + i, sizes[i]);
                CPU.sgdStepInPlace(ps.get(i).cpu(), g.cpu(), bufs.get(i).cpu(), 0.05, 0.9, 1e-3, step == 0);
                dp.add(ps.get(i).dev()); dg.add(g.dev()); db.add(bufs.get(i).dev());
            }
            emu().sgdStepAll(dp, dg, db, 0.05, 0.9, 1e-3, step == 0);
        }
        for (int i = 0; i < sizes.length; i++) {
            assertClose("sgdStepAll param " + i, ps.get(i).cpu(), ps.get(i).dev(), 1e-6);
            assertClose("sgdStepAll buffer " + i, bufs.get(i).cpu(), bufs.get(i).dev(), 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> emu().sgdStepAll(java.util.List.of(ps.get(0).dev()),
                java.util.List.of(ps.get(1).dev()), java.util.List.of(bufs.get(0).dev()), 0.1, 0, 0, true));
    }
}
