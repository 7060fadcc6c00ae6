package dev.uvgl.tensor;

import dev.uvgl.autograd.Backprop;
import dev.uvgl.autograd.Node;
import dev.uvgl.backend.Backend;

/**
 * A dense, row-major, contiguous array of float32 (or float64) elements on one backend, plus the
 * autograd bookkeeping PyTorch keeps on its tensors: whether it wants a gradient, the gradient it
 * has accumulated, and the node that produced it.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Storage storage;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;

    public Tensor(Shape shape, Storage storage) {
        if (shape.numel() != storage.size())
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.numel()
                    + " elements, storage holds " + storage.size());
        this.shape = shape;
        this.storage = storage;
    }

    public Shape shape() { return shape; }

    public int dim(int i) { return shape.dim(i); }

    public int rank() { return shape.rank(); }

    public int numel() { return shape.numel(); }

    public DType dtype() { return storage.dtype(); }

    public Storage storage() { return storage; }

    public Backend backend() { return storage.backend(); }

    /** The same elements under another shape (no copy; no autograd: use the Reshape op for that). */
    public Tensor view(Shape newShape) {
        if (newShape.numel() != numel()) throw new IllegalArgumentException("cannot view " + shape + " as " + newShape);
        return new Tensor(newShape, storage);
    }

    public float[] toFloatArray() { return backend().toFloatArray(this); }

    public double[] toDoubleArray() { return backend().toDoubleArray(this); }

    /** A 2-D tensor's rows as host arrays (embeddings for ranking and clustering). */
    public float[][] toRows() {
        if (rank() != 2) throw new IllegalStateException("toRows() needs a 2-D tensor, got shape " + shape);
        int n = dim(0), d = dim(1);
        float[] flat = toFloatArray();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
        return rows;
    }

    /** The single element of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() needs one element, tensor has shape " + shape);
        return toDoubleArray()[0];
    }

    // ---- autograd ----

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as wanting a gradient; returns this for chaining. */
    public Tensor requiresGrad(boolean b) {
        if (gradFn != null && !b)
            throw new IllegalStateException("cannot stop a non-leaf tensor from requiring grad; use detach()");
        this.requiresGrad = b;
        return this;
    }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        if (g != null && !g.shape.equals(shape))
            throw new IllegalArgumentException("gradient shape " + g.shape + " != tensor shape " + shape);
        this.grad = g;
    }

    public Node gradFn() { return gradFn; }

    /** Set by the op that produced this tensor, when it records itself for backward. */
    public void setGradFn(Node node) { this.gradFn = node; this.requiresGrad = node != null || requiresGrad; }

    public boolean isLeaf() { return gradFn == null; }

    /** The same storage with no autograd history. */
    public Tensor detach() { return new Tensor(shape, storage); }

    /** Backpropagates from this one-element tensor into every leaf that requires grad (gradients accumulate). */
    public void backward() { Backprop.run(this); }

    @Override public void close() { storage.close(); }

    @Override public String toString() {
        return "Tensor" + shape + " " + dtype() + " on " + backend().name() + (requiresGrad ? " (requires grad)" : "");
    }
}
