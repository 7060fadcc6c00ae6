package dev.uvgl.backend.cuda;

import dev.uvgl.backend.Backend;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Storage;

/**
 * Float32 elements in one block of device memory. close() gives the block back to the backend's caching
 * allocator (idempotent: views of one storage may all be closed); the scope that owns it closes it too.
 */
public final class DeviceStorage implements Storage {
    private final CudaBackend backend;
    private final DeviceBuffer buffer;
    private final int size;
    private DeviceScope scope;
    private boolean closed;

    DeviceStorage(CudaBackend backend, DeviceBuffer buffer, int size) {
        this.backend = backend;
        this.buffer = buffer;
        this.size = size;
    }

    /** The device address; an error once the block went back to the allocator. */
    long address() {
        if (closed) throw new IllegalStateException("a " + buffer.label() + " tensor of " + size
                + " elements was used after it was freed (its scope closed, or close() was called); "
                + "keep it with DeviceScope.keep");
        return buffer.address();
    }

    DeviceScope scope() { return scope; }

    void setScope(DeviceScope s) { scope = s; }

    boolean isClosed() { return closed; }

    @Override public Backend backend() { return backend; }

    @Override public DType dtype() { return DType.F32; }

    @Override public int size() { return size; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (scope != null) scope.forget(this);
        backend.release(buffer);
    }
}
