package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** Softmax over the last axis (max-subtracted). */
public final class Softmax extends Node {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Softmax node = new Softmax();
        node.y = x.backend().softmax(x);
        return record(node, node.y, x);
    }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {y.backend().softmaxBackward(y, gy)}; }
}
