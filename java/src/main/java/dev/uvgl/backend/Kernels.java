package dev.uvgl.backend;

import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The engine's generic tensor ops, one method per kernel, forward and backward. Every method allocates its
 * result; inputs are never changed unless the name says InPlace. "Rows" means the tensor viewed as
 * [numel / last, last]. Nothing here knows DMNIL: its memory ops are dev.uvgl.dmnil.memory.MemoryOps.
 */
public interface Kernels {
    // ---- element-wise ----
    /** a + b, where b has a's shape or a's trailing dimensions (broadcast over the leading ones). */
    Tensor add(Tensor a, Tensor b);

    /** a * b element-wise, with the broadcast of add. */
    Tensor mul(Tensor a, Tensor b);

    /** scale * x + shift. */
    Tensor affine(Tensor x, double scale, double shift);

    /** acc += x (same shape): gradient accumulation. */
    void addInPlace(Tensor acc, Tensor x);

    /** Sums g over its leading dimensions down to the trailing shape `suffix`: the backward of a broadcast. */
    Tensor sumToSuffix(Tensor g, Shape suffix);

    /** GELU, erf form: x * (1 + erf(x / sqrt 2)) / 2. */
    Tensor gelu(Tensor x);

    Tensor geluBackward(Tensor x, Tensor gy);

    // ---- reductions ----
    Tensor sumAll(Tensor x);

    Tensor sum(Tensor x, int axis, boolean keepDim);

    /** Repeats g (x's shape with `axis` reduced, kept or dropped) along that axis: the backward of sum. */
    Tensor broadcastAlong(Tensor g, Shape xShape, int axis);

    // ---- GEMM ----
    /** op(a) x op(b) for 2-D a and b, op = transpose when the flag says so. */
    Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB);

    // ---- convolution: x NHWC, w OIHW, y NHWC ----
    Tensor conv2d(Tensor x, Tensor w, Tensor biasOrNull, Conv2dGeometry g);

    Tensor conv2dBackwardInput(Tensor gy, Tensor w, Conv2dGeometry g);

    Tensor conv2dBackwardWeight(Tensor x, Tensor gy, Conv2dGeometry g);

    // ---- LayerNorm over one axis (x viewed as [outer, C, inner]; last axis: inner = 1) ----
    /** Returns {y, mean, rstd}; mean and rstd have outer * inner elements. */
    Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, int axis, double eps);

    /** Returns {dx, dgamma, dbeta}. */
    Tensor[] layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy, int axis);

    // ---- pooling: NHWC -> [N, C] ----
    Tensor globalAvgPool(Tensor x);

    Tensor globalAvgPoolBackward(Tensor gy, Shape xShape);

    // ---- row-wise (last axis) ----
    /** x / max(||x||, eps) per row. */
    Tensor l2Normalize(Tensor x, double eps);

    Tensor l2NormalizeBackward(Tensor x, Tensor gy, double eps);

    Tensor softmax(Tensor x);

    Tensor softmaxBackward(Tensor y, Tensor gy);

    Tensor logSoftmax(Tensor x);

    Tensor logSoftmaxBackward(Tensor y, Tensor gy);

    /**
     * Mean over rows of -log softmax(logits / temperature)[label]. Returns {loss (one element),
     * probabilities}; the probabilities are what the backward needs.
     */
    Tensor[] softmaxCrossEntropy(Tensor logits, int[] labels, double temperature);

    Tensor softmaxCrossEntropyBackward(Tensor probs, int[] labels, double temperature, Tensor gLoss);

    /** Sum over rows of KL(u || p) divided by the row count, u uniform over the last axis, p probabilities. */
    Tensor klUniform(Tensor p);

    Tensor klUniformBackward(Tensor p, Tensor gLoss);

    TopK topk(Tensor x, int k);

    Tensor topkBackward(Tensor gValues, int[] indices, Shape xShape);

    // ---- layout ----
    /** out[i] = x[rows[i]] for a 2-D x: the batch's rows of a memory bank, without a round trip through the host. */
    Tensor gatherRows(Tensor x, int[] rows);

    /** A contiguous copy with axes reordered: result axis i is x's axis perm[i]. */
    Tensor permute(Tensor x, int[] perm);

    // ---- nearest rows ----
    /**
     * For each row of queries [Q, D], the k rows of keys [N, D] with the largest float32 dot product, largest
     * first, ties to the lower index (clustering's exact kNN takes its candidates from here). A device never
     * holds the Q x N similarity; the CPU works through it a tile of queries at a time.
     */
    TopK nearestRows(Tensor queries, Tensor keys, int k);

    // ---- optimiser ----
    /**
     * One torch.optim.SGD step for one parameter, in place: g = grad + weightDecay * p;
     * buf = g on the first step, else momentum * buf + g (dampening 0); p -= lr * buf.
     */
    void sgdStepInPlace(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum,
            double weightDecay, boolean firstStep);

    /**
     * sgdStepInPlace on every (param, grad, buffer) triple with the same hyper-parameters. The CPU runs
     * them one by one; a device runs them all in one launch.
     */
    default void sgdStepAll(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> buffers,
                            double lr, double momentum, double weightDecay, boolean firstStep) {
        if (params.size() != grads.size() || params.size() != buffers.size())
            throw new IllegalArgumentException("sgdStepAll: " + params.size() + " parameters, " + grads.size()
                    + " gradients, "
                    + buffers.size() + " buffers");
        for (int i = 0; i < params.size(); i++)
            sgdStepInPlace(params.get(i), grads.get(i), buffers.get(i), lr, momentum, weightDecay, firstStep);
    }

    /**
     * One torch.optim.AdamW step for one parameter, in place (amsgrad off), the host having computed
     * decay = 1 - lr * weightDecay, stepSize = lr / (1 - beta1^t) and bc2sqrt = sqrt(1 - beta2^t) in double:
     * p *= decay; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
     * p -= stepSize m / (sqrt(v) / bc2sqrt + eps).
     */
    void adamwStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, double decay, double beta1, double beta2,
                          double stepSize, double bc2sqrt, double eps);
}
