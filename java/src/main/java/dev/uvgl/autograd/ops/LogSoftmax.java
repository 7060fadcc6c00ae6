package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/** log softmax over the last axis, computed as x - logsumexp(x) so it never takes the log of 0. */
public final class LogSoftmax extends Node {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        LogSoftmax node = new LogSoftmax();
        node.y = x.backend().logSoftmax(x);
        return record(node, node.y, x);
    }

    @Override protected Tensor[] backward(Tensor gy) { return new Tensor[] {y.backend().logSoftmaxBackward(y, gy)}; }
}
