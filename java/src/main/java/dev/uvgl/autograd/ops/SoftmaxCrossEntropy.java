package dev.uvgl.autograd.ops;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Tensor;

/**
 * Mean over rows of -log softmax(logits / tau)[label]: the cluster-memory loss once logits are
 * features x memory^T. tau = 1 is plain cross-entropy.
 */
public final class SoftmaxCrossEntropy extends Node {
    private final Tensor probs;
    private final int[] labels;
    private final double temperature;

    private SoftmaxCrossEntropy(Tensor probs, int[] labels, double temperature) {
        this.probs = probs;
        this.labels = labels;
        this.temperature = temperature;
    }

    public static Tensor apply(Tensor logits, int[] labels, double temperature) {
        if (!(temperature > 0))
            throw new IllegalArgumentException("softmaxCrossEntropy: temperature must be > 0, got " + temperature);
        int[] own = labels.clone();
        Tensor[] r = logits.backend().softmaxCrossEntropy(logits, own, temperature);
        return record(new SoftmaxCrossEntropy(r[1], own, temperature), r[0], logits);
    }

    @Override protected Tensor[] backward(Tensor gy) {
        return new Tensor[] {probs.backend().softmaxCrossEntropyBackward(probs, labels, temperature, gy)};
    }
}
