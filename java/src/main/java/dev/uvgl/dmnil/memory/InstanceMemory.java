package dev.uvgl.dmnil.memory;

import dev.uvgl.backend.Backend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The instance memory of one view (dmnil.md section 4): one unit row per training image (every
 * virtual satellite copy its own row), initialised to the normalised clustering features, with the
 * row's pseudo label of this epoch. Each step moves the batch's rows in batch order:
 * IM[i] = m IM[i] + (1 - m) f (f not normalised: the reference's quirk), renormalised.
 */
public final class InstanceMemory {
    private final Tensor rows;
    private final int[] labels;

    public InstanceMemory(Tensor rows, int[] labels) {
        if (rows.rank() != 2 || rows.dim(0) != labels.length)
            throw new IllegalArgumentException("instance memory " + rows.shape() + " with " + labels.length
                    + " labels");
        this.rows = rows;
        this.labels = labels.clone();
    }

    public static InstanceMemory of(Backend be, float[] unitRows, int n, int dim, int[] labels) {
        return new InstanceMemory(be.fromArray(unitRows, Shape.of(n, dim)), labels);
    }

    public Tensor rows() { return rows; }

    public int size() { return rows.dim(0); }

    public int label(int row) { return labels[row]; }

    public int[] labels() { return labels.clone(); }

    public void update(int[] batchRows, Tensor features, double momentum) {
        BackendMemoryOps.of(rows.backend()).memoryMomentumUpdateInPlace(rows, batchRows, features.detach(), momentum);
    }
}
