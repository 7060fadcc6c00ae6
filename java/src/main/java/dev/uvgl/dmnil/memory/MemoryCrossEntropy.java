package dev.uvgl.dmnil.memory;

import java.util.function.Supplier;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * Cross-entropy of x M^T / tau against labels, fused so the B x C logits are never kept: the loss of
 * a memory bank M (no gradient) for normalised features x. As the reference's autograd.Function, the
 * gradient is the forward-time softmax gradient times M as it is when the backward runs (another term's
 * momentum update may have moved rows since); the forward-time rows come from `forwardRows`, which a
 * memory that moved keeps as a copy. Then the optional hook runs: that is where a cluster memory applies
 * its momentum update (dmnil.md section 4), after its gradient.
 */
public final class MemoryCrossEntropy extends Node {
    private final Tensor x, memory, logSumExp;
    private final Supplier<Tensor> forwardRows;
    private final int[] labels;
    private final double tau;
    private final Runnable afterBackward;

    private MemoryCrossEntropy(Tensor x, Tensor memory, Supplier<Tensor> forwardRows, int[] labels, double tau,
                               Tensor logSumExp,
                               Runnable afterBackward) {
        this.x = x;
        this.memory = memory;
        this.forwardRows = forwardRows;
        this.labels = labels;
        this.tau = tau;
        this.logSumExp = logSumExp;
        this.afterBackward = afterBackward;
    }

    /** For a memory nothing moves between this forward and its backward. */
    public static Tensor apply(Tensor x, Tensor memory, int[] labels, double tau) {
        return apply(x, memory, labels, tau, () -> memory, null);
    }

    /** For a memory only this node's own hook moves, after its gradient. */
    public static Tensor apply(Tensor x, Tensor memory, int[] labels, double tau, Runnable afterBackward) {
        return apply(x, memory, labels, tau, () -> memory, afterBackward);
    }

    /**
     * @param forwardRows the memory's rows as this forward saw them, asked for at backward time (the memory
     *                    itself while nothing moved it)
     * @param afterBackward runs once, right after this node's gradient is computed (null: nothing)
     */
    public static Tensor apply(Tensor x, Tensor memory, int[] labels, double tau, Supplier<Tensor> forwardRows,
            Runnable afterBackward) {
        if (!(tau > 0)) throw new IllegalArgumentException("memoryCrossEntropy: tau must be > 0, got " + tau);
        int[] own = labels.clone();
        Tensor[] r = BackendMemoryOps.of(x.backend()).memoryCrossEntropy(x, memory, own, tau);
        return record(new MemoryCrossEntropy(x, memory, forwardRows, own, tau, r[1], afterBackward), r[0], x);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        Tensor dx = BackendMemoryOps.of(x.backend())
                .memoryCrossEntropyBackward(x, forwardRows.get(), memory, labels, tau, logSumExp, gy);
        if (afterBackward != null) afterBackward.run();
        return new Tensor[] {dx};
    }
}
