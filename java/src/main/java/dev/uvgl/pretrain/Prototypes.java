package dev.uvgl.pretrain;

import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.autograd.ops.Matmul;
import dev.uvgl.autograd.ops.SoftmaxCrossEntropy;
import dev.uvgl.dmnil.memory.ClusterMemory;
import dev.uvgl.nn.Parameter;
import dev.uvgl.nn.optim.AdamW;
import dev.uvgl.tensor.Tensor;

import java.util.List;

/**
 * The class prototypes of one label space's cosine classifier: loss = cross-entropy of x . P^T / tau for unit
 * features x and unit prototype rows P. Two kinds (config key `prototypes`): `learned`, rows that are
 * parameters (normalised in the forward) stepped by their own AdamW, so every class moves every step through
 * the softmax; `momentum`, rows that are a DMNIL cluster memory (each row moves only when its class is in the
 * batch: M[y] = m M[y] + (1 - m) x).
 */
interface Prototypes {
    Tensor loss(Tensor xn, int[] labels, double tau);

    /** The rows as they are (for checkpoints; learned ones unnormalised). */
    Tensor rows();

    /** Replaces the rows (a resumed run's). */
    void restore(Tensor rows);

    /** Steps learned rows after the backward; a momentum memory moved inside it and does nothing here. */
    default void step(double lr) {}

    default AdamW optimizer() { return null; }

    static Prototypes momentum(Tensor initialRows, double momentum) { return new Momentum(initialRows, momentum); }

    static Prototypes learned(Tensor initialRows, double beta1, double beta2) {
        return new Learned(initialRows, beta1, beta2);
    }

    final class Momentum implements Prototypes {
        private ClusterMemory memory;
        private final double momentum;

        Momentum(Tensor rows, double momentum) {
            this.memory = new ClusterMemory(rows, momentum);
            this.momentum = momentum;
        }

        @Override public Tensor loss(Tensor xn, int[] labels, double tau) {
            return memory.loss(xn, labels, tau, false);
        }

        @Override public Tensor rows() { return memory.rows(); }

        @Override public void restore(Tensor rows) { memory = new ClusterMemory(rows, momentum); }
    }

    final class Learned implements Prototypes {
        private final Parameter weights;
        private final AdamW adamw;

        Learned(Tensor rows, double beta1, double beta2) {
            this.weights = new Parameter("prototypes", rows);
            // No weight decay: the rows are normalised in the forward,
            // so decay would only shrink them and raise their step size.
            this.adamw = new AdamW(List.of(weights), 0, beta1, beta2, 1e-8, 0, true);
        }

        @Override public Tensor loss(Tensor xn, int[] labels, double tau) {
            return SoftmaxCrossEntropy.apply(Matmul.apply(xn, false, L2Normalize.apply(weights.value()), true),
                    labels, tau);
        }

        @Override public Tensor rows() { return weights.value(); }

        @Override public void restore(Tensor rows) { weights.set(rows); }

        @Override public void step(double lr) {
            adamw.setLr(lr);
            adamw.step();
            adamw.zeroGrad();
        }

        @Override public AdamW optimizer() { return adamw; }
    }
}
