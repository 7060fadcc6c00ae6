package dev.uvgl.backend;

import dev.uvgl.tensor.Tensor;

/**
 * The lifetime of the tensors a backend creates while the scope is open on this thread: closing it
 * frees them (on a device the collector never sees that memory). The CPU's scope does nothing, since its
 * arrays are garbage like any other. {@link #keep} moves tensors to the enclosing scope, {@link #release}
 * hands one to the caller, who closes it. Open one per training step, extraction batch or clustering
 * pass; make long-lived state (parameters, optimiser buffers, memories) under {@link Backend#unscoped}.
 */
public interface Scope extends AutoCloseable {
    /** Moves these tensors to the enclosing scope (at the outermost: to no scope). */
    Scope keep(Tensor... tensors);

    /** Takes this tensor out of every scope: the caller now closes it. */
    Tensor release(Tensor t);

    @Override void close();

    /** The CPU's scope: its arrays need no freeing. */
    Scope NONE = new Scope() {
        @Override public Scope keep(Tensor... tensors) { return this; }
        @Override public Tensor release(Tensor t) { return t; }
        @Override public void close() {}
    };
}
