package dev.uvgl.dmnil.memory;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.backend.Backend;
import dev.uvgl.dmnil.DmnilConfig;
import dev.uvgl.tensor.Tensor;

/**
 * The dynamic hierarchical memory (dmnil.md section 4): a cluster memory plus short- and long-term
 * banks, both starting at zero (the reference's quirk). Per batch, after the cluster-memory loss L1,
 * the banks move (no gradient) and L2 is the cross-entropy against lt_weight LT + st_weight ST; the
 * loss is L1 + dhml_weight L2. The gradient of L2 flows to x only, through the combined rows as
 * they were at the forward (the reference's combined tensor is a fresh clone).
 */
public final class DhmlMemory {
    private final ClusterMemory cluster;
    private final Tensor shortTerm, longTerm;
    private java.util.function.DoubleSupplier lastAlpha = () -> Double.NaN;

    public DhmlMemory(ClusterMemory cluster) {
        this.cluster = cluster;
        Backend be = cluster.rows().backend();
        this.shortTerm = be.zeros(cluster.rows().shape(), cluster.rows().dtype());
        this.longTerm = be.zeros(cluster.rows().shape(), cluster.rows().dtype());
    }

    public DhmlMemory(ClusterMemory cluster, Tensor shortTerm, Tensor longTerm) {
        this.cluster = cluster;
        this.shortTerm = shortTerm;
        this.longTerm = longTerm;
    }

    public ClusterMemory cluster() { return cluster; }

    public Tensor shortTerm() { return shortTerm; }

    public Tensor longTerm() { return longTerm; }

    /** The sigmoid weight of the last update (for logging; on a device, read before the step's scope closes). */
    public double lastAlpha() { return lastAlpha.getAsDouble(); }

    public Tensor loss(Tensor xn, int[] labels, DmnilConfig cfg) {
        Backend be = xn.backend();
        Tensor l1 = cluster.loss(xn, labels, cfg.tau, false);
        lastAlpha = BackendMemoryOps.of(be)
                .dhmlBanksUpdateInPlace(shortTerm, longTerm, labels, xn.detach(), cfg.stNew, cfg.stOld);
        Tensor combined = be.add(be.affine(longTerm, cfg.ltWeight, 0), be.affine(shortTerm, cfg.stWeight, 0));
        Tensor l2 = MemoryCrossEntropy.apply(xn, combined, labels, cfg.tau);
        return Add.apply(l1, Scale.apply(l2, cfg.dhmlWeight));
    }
}
