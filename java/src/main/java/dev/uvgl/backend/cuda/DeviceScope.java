package dev.uvgl.backend.cuda;

import dev.uvgl.backend.Scope;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Device memory is not garbage: the collector never sees it. Every tensor the backend creates while a
 * scope is open (on this thread) belongs to the innermost one, and closing the scope frees them all,
 * except those moved out with {@link #keep} (to the enclosing scope, or to nobody at the outermost) or
 * {@link #release} (to the caller, who closes them). One scope per training step for activations and
 * gradients; parameters, optimiser state and memories are kept out of it. An unowning scope
 * (Backend.unscoped) is a barrier: tensors made or kept into it belong to nobody, so long-lived state
 * created in the middle of a step (an optimiser's first momentum buffers) outlives the step.
 */
public final class DeviceScope implements Scope {
    private final CudaBackend backend;
    private final DeviceScope parent;
    private final boolean owning;
    private final Set<DeviceStorage> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    DeviceScope(CudaBackend backend, DeviceScope parent, boolean owning) {
        this.backend = backend;
        this.parent = parent;
        this.owning = owning;
    }

    void adopt(DeviceStorage s) {
        if (closed) throw new IllegalStateException("a device scope took a tensor after it closed");
        if (!owning) return;
        owned.add(s);
        s.setScope(this);
    }

    void forget(DeviceStorage s) { owned.remove(s); }

    /** Moves these tensors to the enclosing scope (at the outermost: to no scope; close them yourself). */
    @Override public DeviceScope keep(Tensor... tensors) {
        for (Tensor t : tensors) {
            DeviceStorage s = mine(t);
            owned.remove(s);
            s.setScope(null);
            if (parent != null) parent.adopt(s);
        }
        return this;
    }

    /** Takes this tensor out of every scope: the caller now closes it. */
    @Override public Tensor release(Tensor t) {
        DeviceStorage s = mine(t);
        owned.remove(s);
        s.setScope(null);
        return t;
    }

    private DeviceStorage mine(Tensor t) {
        if (!(t.storage() instanceof DeviceStorage s) || s.scope() != this)
            throw new IllegalArgumentException("keep/release: " + t + " does not belong to this scope");
        return s;
    }

    /** Tensors this scope would free now. */
    public int size() { return owned.size(); }

    @Override public void close() {
        if (closed) return;
        backend.popScope(this);  // throws, leaving this scope open, if an inner one is still open
        closed = true;
        List<DeviceStorage> all = new ArrayList<>(owned);
        owned.clear();
        for (DeviceStorage s : all) {
            s.setScope(null);
            s.close();
        }
    }
}
