package dev.uvgl.dmnil.memory;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * One cluster memory (dmnil.md section 4): a unit row per pseudo label, initialised to the cluster
 * centroids. Its loss is the cross-entropy of x M^T / tau; after the loss's gradient is computed
 * (inside the backward, as the reference's autograd.Function does) every sample moves its label's
 * row in batch order: M[y] = m M[y] + (1 - m) x, renormalised.
 *
 * <p>When two terms share the memory (the shared memories from cmlabel), the first term's update runs
 * before the second term's backward. The reference then multiplies the second term's forward-time
 * softmax gradient by the moved rows; so an update that finds another term's backward still to come
 * first keeps the rows that term's forward saw (copy on write). Recomputing that softmax from the moved
 * rows instead scales it by exp(change of logit): at tau = 0.05 a row that moved towards a feature by
 * 0.5 in cosine multiplies its gradient by e^10, which is how a run diverged in its shared epochs.
 */
public final class ClusterMemory {
    /** The rows as the forwards taken since the last update saw them: the live rows until an update copies them. */
    private static final class Version {
        Tensor frozen;
        int pendingBackwards;
    }

    private final Tensor rows;
    private Version current = new Version();
    private double momentum;

    public ClusterMemory(Tensor rows, double momentum) {
        if (rows.rank() != 2)
            throw new IllegalArgumentException("a cluster memory is [clusters, dim], got " + rows.shape());
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
        if (gradientFromForwardTime) {
            Tensor copy = be.copy(rows);
            return MemoryCrossEntropy.apply(xn, copy, own, tau, () -> copy, () -> move(own, values));
        }
        Version v = current;
        v.pendingBackwards++;
        return MemoryCrossEntropy.apply(xn, rows, own, tau, () -> v.frozen != null ? v.frozen : rows, () -> {
            v.pendingBackwards--;
            move(own, values);
        });
    }

    /** The in-batch-order momentum update, after keeping the rows for any term whose backward is still to come. */
    private void move(int[] labels, Tensor values) {
        if (current.pendingBackwards > 0) {
            current.frozen = rows.backend().copy(rows);
            current = new Version();
        }
        BackendMemoryOps.of(rows.backend()).memoryMomentumUpdateInPlace(rows, labels, values, momentum);
    }
}
