package dev.uvgl.dmnil.memory;

import java.util.function.DoubleSupplier;

import dev.uvgl.tensor.Tensor;

/**
 * DMNIL's memory ops (dmnil.md sections 4 and 7), kept out of the engine's generic {@link dev.uvgl.backend.Kernels}:
 * the backend knows tensors, this interface knows memories. Two implementations, the CPU one (also the
 * reference every kernel is checked against) and the CUDA one (kernels/memory_*.cu, neighbour_mask.cu). Every host
 * transfer is visible in a signature: int[] labels and rows go up, neighbourMask's int[][] and a DHML alpha read
 * come down; nothing else leaves the device. BackendMemoryOps.of(backend) picks the implementation.
 */
public interface MemoryOps {
    /**
     * For each batch row i IN BATCH ORDER: M[rows[i]] = momentum * M[rows[i]] + (1 - momentum) * x_i, then
     * M[rows[i]] /= ||M[rows[i]]||. Repeated rows see each other's earlier updates (the reference's
     * sequential loop), which a parallel kernel must reproduce. x is used as given (the cluster memory
     * passes normalised features, the instance memory raw ones).
     */
    void memoryMomentumUpdateInPlace(Tensor memory, int[] rows, Tensor x, double momentum);

    /**
     * Fused x M^T / tau + cross-entropy against labels, x [B, D] (already normalised by the caller), M [C, D].
     * Returns {loss (one element, mean over rows), logSumExp [B]}; a kernel never holds more than a tile
     * of the B x C logits.
     */
    Tensor[] memoryCrossEntropy(Tensor x, Tensor memory, int[] labels, double tau);

    /**
     * d loss / d x = gLoss / B * (softmax - onehot) P / tau: the softmax recomputed from logSumExp and `memory`
     * (the rows as the forward saw them), multiplied by `product` (the rows as they are now; the same tensor
     * unless a momentum update moved the memory between this term's forward and backward).
     */
    Tensor memoryCrossEntropyBackward(Tensor x, Tensor memory, Tensor product, int[] labels, double tau,
                                      Tensor logSumExp,
                                      Tensor gLoss);

    /**
     * The DHML short/long-term banks (dmnil.md section 4), x [B, D] normalised features: gathers first,
     * then writes with the last repeat winning: ST[y] = stNew * x + stOld * ST[y]; alpha = sigmoid(mean_i
     * ||x_i - ST[y_i]||) over the updated rows; LT[y] = alpha ST[y] + (1 - alpha) LT[y]. Returns alpha, read
     * on demand: a device computes it where it stays, so the step does not wait for it unless someone asks
     * (before the step's scope closes).
     */
    DoubleSupplier dhmlBanksUpdateInPlace(Tensor shortTerm, Tensor longTerm, int[] labels, Tensor x, double stNew,
            double stOld);

    /**
     * dmnil.md 7's neighbour mask of the query rows q1[rows[i]] (and q2[rows[i]]) against every row
     * of k1 (k2): column j is a neighbour of batch row i when q1[rows[i]] . k1[j] > ratio * (that
     * row's maximum) and the same holds for q2 against k2. Returns each row's neighbour columns in
     * increasing order; no B x N similarity leaves the backend.
     */
    int[][] neighbourMask(Tensor q1, Tensor k1, Tensor q2, Tensor k2, int[] rows, double ratio);
}
