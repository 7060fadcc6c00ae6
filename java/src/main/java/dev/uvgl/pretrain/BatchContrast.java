package dev.uvgl.pretrain;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.LogSoftmax;
import dev.uvgl.autograd.ops.Matmul;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.autograd.ops.Sum;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * Supervised contrast within a batch (Khosla et al. 2020, SupCon's "out" form): for each row i of unit
 * features z, -mean over its positives p (the other rows of its class) of log softmax_{j != i}(z_i . z_j / tau)[p],
 * averaged over the rows that have a positive. The task is as hard as the batch is wide, not as the label
 * space is: with 675 classes a cosine classifier from scratch sat at ln C for a thousand steps, while telling
 * the batch's own classes apart gives the backbone a signal from the first step. Built from autograd ops
 * (matmul, affine, add, log-softmax, mul, sum), so it runs and is differentiated wherever they do.
 */
final class BatchContrast {
    /** Stands in for minus infinity on the diagonal: exp of it is exactly 0 in float32, and 0 x it is 0. */
    static final double SELF = -1e9;

    private BatchContrast() {}

    /** @param z [N, D] unit rows; labels their classes. Rows without a positive add nothing. */
    static Tensor loss(Tensor z, int[] labels, double tau) {
        int n = z.dim(0);
        if (labels.length != n)
            throw new IllegalArgumentException("batch contrast: " + n + " rows, " + labels.length + " labels");
        var be = z.backend();
        double[] self = new double[n * n], target = new double[n * n];
        int anchors = 0;
        for (int i = 0; i < n; i++) {
            self[i * n + i] = SELF;
            int positives = 0;
            for (int j = 0; j < n; j++) if (j != i && labels[j] == labels[i]) positives++;
            if (positives == 0) continue;
            anchors++;
            for (int j = 0; j < n; j++) if (j != i && labels[j] == labels[i]) target[i * n + j] = 1.0 / positives;
        }
        if (anchors == 0)
            throw new IllegalArgumentException(
                    "batch contrast: no row has a positive (every class once); sample at least two views per class");
        Tensor logits = Add.apply(Scale.apply(Matmul.apply(z, false, z, true), 1 / tau),
                be.fromDoubles(self, Shape.of(n, n), z.dtype()));
        Tensor picked = Mul.apply(LogSoftmax.apply(logits), be.fromDoubles(target, Shape.of(n, n), z.dtype()));
        return Scale.apply(Sum.apply(picked), -1.0 / anchors);
    }

    /** The loss of features that tell nothing apart: every row's positives at chance among the n - 1 others. */
    static double chance(int n) { return Math.log(n - 1); }
}
