package dev.uvgl.dmnil.memory;

import dev.uvgl.autograd.ops.MemoryCrossEntropy;
import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * One cluster memory (dmnil.md section 4): a unit row per pseudo label, initialised to the cluster
 * centroids. Its loss is the cross-entropy of x M^T / tau; after the loss's gradient is computed
 * (inside the backward, as the reference's autograd.Function does) every sample moves its label's
 * row in batch order: M[y] = m M[y] + (1 - m) x, renormalised.
 */
public final class ClusterMemory {
    private final Tensor rows;
    private double momentum;

    public ClusterMemory(Tensor rows, double momentum) {
        if (rows.rank() != 2) throw new IllegalArgumentException("a cluster memory is [clusters, dim], got " + rows.shape());
        this.rows = rows;
        this.momentum = momentum;
    }

    /** A memory whose rows are these centroids (already unit rows). */
    public static ClusterMemory of(Backend be, float[] centroids, int clusters, int dim, double momentum) {
        return new ClusterMemory(be.fromArray(centroids, Shape.of(clusters, dim)), momentum);
    }

    public Tensor rows() { return rows; }

    public int clusters() { return rows.dim(0); }

    public double momentum() { return momentum; }

    public void setMomentum(double m) { this.momentum = m; }

    /**
     * The loss for normalised features xn [B, D] (with gradient) and labels in [0, clusters). With
     * gradientFromForwardTime the gradient uses the rows as they were now; otherwise (the reference) the
     * rows as they are when this term's backward runs, which may follow another term's update.
     */
    public Tensor loss(Tensor xn, int[] labels, double tau, boolean gradientFromForwardTime) {
        Backend be = xn.backend();
        Tensor values = xn.detach();
        int[] own = labels.clone();
        Tensor memoryForGradient = gradientFromForwardTime ? be.copy(rows) : rows;
        return MemoryCrossEntropy.apply(xn, memoryForGradient, own, tau, () -> be.memoryMomentumUpdateInPlace(rows, own, values, momentum));
    }
}
