package dev.uvgl.nn;

import java.util.ArrayList;
import java.util.List;

/** Children named "0", "1", ... in order, as PyTorch's nn.Sequential / nn.ModuleList name them in state_dict keys. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M m) {
        register(Integer.toString(items.size()), m);
        items.add(m);
        return m;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    public List<M> items() { return List.copyOf(items); }
}
