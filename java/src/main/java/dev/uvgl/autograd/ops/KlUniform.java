package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * KL(u || p) with u uniform over the last axis and p probabilities, summed and divided by the row
 * count: PyTorch's kl_div(log p, u, reduction='batchmean') when the rows are the batch. The
 * consistency regulariser of DMNIL (dmnil.md section 7).
 */
public final class KlUniform extends Node {
    private final Tensor p;

    private KlUniform(Tensor p) { this.p = p; }

    public static Tensor apply(Tensor p) { return record(new KlUniform(p), p.backend().klUniform(p), p); }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {p.backend().klUniformBackward(p, gy)}; }
}
