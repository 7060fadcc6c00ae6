package dev.uvgl.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or a network: its own parameters and buffers plus named children, in registration order,
 * so names and order match PyTorch's state_dict ("stages.1.blocks.0.dwconv.weight").
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Parameter register(Parameter p) {
        String local = p.name();
        if (params.containsKey(local) || children.containsKey(local))
            throw new IllegalArgumentException("duplicate name " + local + " in " + getClass().getSimpleName());
        params.put(local, p);
        return p;
    }

    protected <M extends Module> M register(String name, M child) {
        if (params.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("duplicate name " + name + " in " + getClass().getSimpleName());
        children.put(name, child);
        return child;
    }

    /** Every parameter under its full dotted name, in registration order (depth first). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    public void zeroGrad() { for (Parameter p : parameters()) p.zeroGrad(); }

    /** Train mode (the default) or eval mode, for this module and every child. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.value().numel();
        return n;
    }
}
