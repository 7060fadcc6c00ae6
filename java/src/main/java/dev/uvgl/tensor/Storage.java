package dev.uvgl.tensor;

import dev.uvgl.backend.Backend;

/**
 * Where a tensor's elements live. The CPU keeps them in a Java array; a device backend keeps a
 * device allocation. Only the owning backend looks inside.
 */
public interface Storage extends AutoCloseable {
    Backend backend();

    DType dtype();

    /** Number of elements. */
    int size();

    /** Gives native memory back (a no-op for heap arrays). Idempotent. */
    @Override void close();
}
