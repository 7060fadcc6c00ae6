package dev.uvgl.nn;

import dev.uvgl.tensor.Tensor;

/**
 * A trainable tensor of a module under its local name ("weight");
 * Module.namedParameters() gives the dotted state_dict name.
 */
public final class Parameter {
    private final String name;
    private Tensor value;

    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value.requiresGrad(true);
    }

    public String name() { return name; }

    public Tensor value() { return value; }

    public Tensor grad() { return value.grad(); }

    /** Replaces the value in place of the old one (loading weights, the optimiser step). */
    public void set(Tensor v) {
        if (!v.shape().equals(value.shape()))
            throw new IllegalArgumentException("parameter " + name + ": new value has shape " + v.shape()
                    + ", expected " + value.shape());
        Tensor old = value;
        value = v.requiresGrad(true);
        value.setGrad(old.grad());
    }

    public void zeroGrad() { value.setGrad(null); }

    @Override public String toString() { return name + " " + value.shape(); }
}
