package dev.uvgl.harness;

import dev.uvgl.autograd.ops.Mean;
import dev.uvgl.autograd.ops.Mul;
import dev.uvgl.backend.Backend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Random;

/**
 * One training step of the backbone alone, as `bench train-step` and bench/torch_step.py time it:
 * forward a batch, loss = mean(embedding * R) for a fixed random R (touches every output, costs
 * nothing), backward, SGD step (lr .01, momentum .9, weight decay 5e-4), gradients cleared.
 */
public final class TrainStep {
    private final ConvNeXt model;
    private final Sgd sgd;
    private final Tensor images, weights;

    public TrainStep(ConvNeXt model, Backend be, int batch, int size, long seed) {
        this.model = model.train(true);
        this.sgd = new Sgd(model.parameters(), 0.01, 0.9, 5e-4);
        Random rng = new Random(seed);
        float[] x = new float[batch * size * size * 3], r = new float[batch * model.config().embeddingDim()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < r.length; i++) r[i] = (float) rng.nextGaussian();
        this.images = be.fromArray(x, Shape.of(batch, size, size, 3));
        this.weights = be.fromArray(r, Shape.of(batch, model.config().embeddingDim()));
    }

    /** Runs one step and returns the loss before it. */
    public double run() {
        Tensor loss = Mean.apply(Mul.apply(model.forward(images), weights));
        loss.backward();
        sgd.step();
        sgd.zeroGrad();
        return loss.item();
    }
}
