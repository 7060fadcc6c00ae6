package dev.uvgl.dmnil.memory.cpu;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cpu.F32Storage;
import dev.uvgl.dmnil.memory.MemoryOps;
import dev.uvgl.dmnil.memory.MemoryShapes;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The memory ops on the host in float32. F64MemoryOps is generated from this file at build time by the
 * substitution that makes F64Kernels (java/pom.xml), under the same rules (backend/cpu/F32Kernels' header), so
 * the float64 gradient checks of the memory losses run this very code. GEMMs go through the CPU backend.
 */
final class F32MemoryOps implements MemoryOps {
    static final F32MemoryOps INSTANCE = new F32MemoryOps();
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    private F32MemoryOps() {}

    private static float[] a(Tensor t) { return F32Storage.of(t); }

    private static Tensor alloc(Shape s) { return F32Storage.wrap(new float[s.numel()], s); }

    private static Tensor scalar(double v) { return F32Storage.wrap(new float[] {(float) v}, Shape.of()); }

    @Override public void memoryMomentumUpdateInPlace(Tensor tm, int[] rows, Tensor tx, double momentum) {
        MemoryShapes.check("memoryMomentumUpdate", tm, rows, tx);
        float[] m = a(tm), x = a(tx);
        int d = tx.dim(1);
        float fm = (float) momentum, fr = (float) (1 - momentum);
        // Sequential on purpose: a repeated row must see its earlier update, and B x D is tiny next to a step.
        for (int i = 0; i < rows.length; i++) {
            int o = rows[i] * d, xo = i * d;
            double sq = 0;
            for (int j = 0; j < d; j++) {
                float v = fm * m[o + j] + fr * x[xo + j];
                m[o + j] = v;
                sq += (double) v * v;
            }
            float norm = (float) Math.sqrt(sq);
            for (int j = 0; j < d; j++) m[o + j] = m[o + j] / norm;
        }
    }

    private static Tensor memoryLogits(String op, Tensor tx, Tensor tm, int[] labels, double tau) {
        MemoryShapes.check(op, tm, labels, tx);
        Tensor logits = CPU.matmul(tx, false, tm, true);
        float[] z = a(logits);
        for (int i = 0; i < z.length; i++) z[i] = (float) (z[i] / tau);
        return logits;
    }

    @Override public Tensor[] memoryCrossEntropy(Tensor tx, Tensor tm, int[] labels, double tau) {
        Tensor logits = memoryLogits("memoryCrossEntropy", tx, tm, labels, tau);
        int rows = labels.length, c = tm.dim(0);
        float[] z = a(logits);
        Tensor lse = alloc(Shape.of(rows));
        float[] l = a(lse);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < c; j++) max = Math.max(max, z[r * c + j]);
            for (int j = 0; j < c; j++) sum += Math.exp(z[r * c + j] - max);
            double logSum = max + Math.log(sum);
            l[r] = (float) logSum;
            loss += logSum - z[r * c + labels[r]];
        }
        return new Tensor[] {scalar(loss / rows), lse};
    }

    @Override
    public Tensor memoryCrossEntropyBackward(Tensor tx, Tensor tm, Tensor tp, int[] labels, double tau, Tensor tlse,
            Tensor gLoss) {
        MemoryShapes.checkSameShape("memoryCrossEntropyBackward", tm, tp);
        Tensor logits = memoryLogits("memoryCrossEntropyBackward", tx, tm, labels, tau);
        int rows = labels.length, c = tm.dim(0);
        float[] z = a(logits), l = a(tlse);
        double k = gLoss.item() / (rows * tau);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++)
                z[r * c + j] = (float) (k * (Math.exp(z[r * c + j] - (double) l[r]) - (j == labels[r] ? 1.0 : 0.0)));
        return CPU.matmul(logits, false, tp, false);
    }

    @Override public DoubleSupplier dhmlBanksUpdateInPlace(Tensor tst, Tensor tlt, int[] labels,
            Tensor tx, double stNew, double stOld) {
        MemoryShapes.check("dhmlBanksUpdate", tst, labels, tx);
        MemoryShapes.checkSameShape("dhmlBanksUpdate", tst, tlt);
        float[] st = a(tst), lt = a(tlt), x = a(tx);
        int d = tx.dim(1), b = labels.length;
        // Gather before any write (the reference's indexed expression), then the last repeat's value wins.
        float[] stRows = new float[b * d];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < d; j++)
                stRows[i * d + j] = (float) (stNew * x[i * d + j] + stOld * st[labels[i] * d + j]);
        for (int i = 0; i < b; i++) System.arraycopy(stRows, i * d, st, labels[i] * d, d);
        double dist = 0;
        for (int i = 0; i < b; i++) {
            double sq = 0;
            for (int j = 0; j < d; j++) { double e = x[i * d + j] - st[labels[i] * d + j]; sq += e * e; }
            dist += Math.sqrt(sq);
        }
        double alpha = 1 / (1 + Math.exp(-dist / b));
        float[] ltRows = new float[b * d];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < d; j++)
                ltRows[i * d + j] = (float) (alpha * st[labels[i] * d + j] + (1 - alpha) * lt[labels[i] * d + j]);
        for (int i = 0; i < b; i++) System.arraycopy(ltRows, i * d, lt, labels[i] * d, d);
        return () -> alpha;
    }

    @Override public int[][] neighbourMask(Tensor q1, Tensor k1, Tensor q2, Tensor k2, int[] rows, double ratio) {
        MemoryShapes.checkNeighbourMask(q1, k1, q2, k2, rows);
        int[][] first = rowsAboveRatio(q1, k1, rows, ratio, null);
        // The reference's two paths see the same embedding: then the second similarity is the first again.
        return q1 == q2 && k1 == k2 ? first : rowsAboveRatio(q2, k2, rows, ratio, first);
    }

    /**
     * Per batch row, the columns with sim > ratio * rowmax(sim) (compared
     * in double), kept only where `within` (if given) lists them too.
     */
    private static int[][] rowsAboveRatio(Tensor q, Tensor k, int[] rows, double ratio, int[][] within) {
        int b = rows.length, n = k.dim(0);
        float[] sim = a(CPU.matmul(CPU.gatherRows(q, rows), false, k, true));
        int[][] out = new int[b][];
        int[] buf = new int[n];
        for (int i = 0; i < b; i++) {
            int o = i * n, c = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, sim[o + j]);
            double threshold = ratio * max;
            if (within == null) {
                for (int j = 0; j < n; j++) if (sim[o + j] > threshold) buf[c++] = j;
            } else {
                for (int j : within[i]) if (sim[o + j] > threshold) buf[c++] = j;
            }
            out[i] = Arrays.copyOf(buf, c);
        }
        return out;
    }
}
