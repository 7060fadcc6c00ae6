package dev.uvgl.nn.optim;

import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * torch.optim.SGD with momentum and weight decay (dampening 0, no Nesterov): weight decay is added to
 * the gradient, the momentum buffer starts as the first gradient, parameters without a gradient are
 * skipped. The step runs on the parameters' backend, one kernel per parameter.
 */
public final class Sgd {
    private final List<Parameter> params;
    private final Tensor[] buffers;
    private final double momentum, weightDecay;
    private double lr;

    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay) {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0))
            throw new IllegalArgumentException("SGD wants lr, momentum and weight decay >= 0, got " + lr + ", " + momentum + ", " + weightDecay);
        this.params = new ArrayList<>(params);
        this.buffers = new Tensor[params.size()];
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value(), g = p.grad();
            if (g == null) continue;
            var be = p.backend();
            // Without momentum torch keeps no buffer; passing "first step" every time gives its arithmetic.
            boolean first = buffers[i] == null || momentum == 0;
            if (buffers[i] == null) buffers[i] = be.zeros(p.shape(), p.dtype());
            be.sgdStepInPlace(p, g, buffers[i], lr, momentum, weightDecay, first);
        }
    }

    public void zeroGrad() { for (Parameter p : params) p.zeroGrad(); }

    /** Momentum buffer of parameter i (null before its first step): checkpoints save it. */
    public Tensor momentumBuffer(int i) { return buffers[i]; }

    public void setMomentumBuffer(int i, Tensor buf) { buffers[i] = buf; }
}
