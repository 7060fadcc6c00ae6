package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * Cross-entropy of x M^T / tau against labels, fused so the B x C logits are never kept: the loss of
 * a memory bank M (no gradient) for normalised features x. The backward reads M as it is when the
 * backward runs, as the reference's autograd.Function does, and then runs the optional hook: that is
 * where a cluster memory applies its momentum update (dmnil.md section 4), after its gradient.
 */
public final class MemoryCrossEntropy extends Node {
    private final Tensor x, memory, logSumExp;
    private final int[] labels;
    private final double tau;
    private final Runnable afterBackward;

    private MemoryCrossEntropy(Tensor x, Tensor memory, int[] labels, double tau, Tensor logSumExp, Runnable afterBackward) {
        this.x = x; this.memory = memory; this.labels = labels; this.tau = tau; this.logSumExp = logSumExp; this.afterBackward = afterBackward;
    }

    public static Tensor apply(Tensor x, Tensor memory, int[] labels, double tau) { return apply(x, memory, labels, tau, null); }

    /** afterBackward runs once, right after this node's gradient is computed (null: nothing). */
    public static Tensor apply(Tensor x, Tensor memory, int[] labels, double tau, Runnable afterBackward) {
        if (!(tau > 0)) throw new IllegalArgumentException("memoryCrossEntropy: tau must be > 0, got " + tau);
        int[] own = labels.clone();
        Tensor[] r = x.backend().memoryCrossEntropy(x, memory, own, tau);
        return record(new MemoryCrossEntropy(x, memory, own, tau, r[1], afterBackward), r[0], x);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        Tensor dx = x.backend().memoryCrossEntropyBackward(x, memory, labels, tau, logSumExp, gy);
        if (afterBackward != null) afterBackward.run();
        return new Tensor[] {dx};
    }
}
