package dev.uvgl.nn.optim;

import dev.uvgl.backend.Scope;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * torch.optim.AdamW (amsgrad off, decoupled weight decay). As timm trains ConvNeXt, parameters of rank
 * at most 1 (biases, norm weights, layer scales) can be left undecayed: decaying a LayerNorm's scale
 * towards zero fights the normalisation. Bias corrections are computed in double on the host from the
 * step count, so a resumed run continues them exactly. Parameters without a gradient are skipped. The
 * moments are long-lived state, made outside any scope even when the first step runs inside a step's.
 */
public final class AdamW {
    private final List<Parameter> params;
    private final Tensor[] m, v;
    private final boolean[] decays;
    private final double beta1, beta2, eps, weightDecay;
    private double lr;
    private long step;

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean decayVectors) {
        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0))
            throw new IllegalArgumentException(
                    "AdamW wants lr >= 0, betas in [0, 1), eps > 0 and weight decay >= 0, got "
                    + lr + ", " + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
        this.params = new ArrayList<>(params);
        this.m = new Tensor[params.size()];
        this.v = new Tensor[params.size()];
        this.decays = new boolean[params.size()];
        for (int i = 0; i < decays.length; i++) decays[i] = decayVectors || params.get(i).value().rank() > 1;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    /** Steps taken so far (torch's per-parameter `step`, shared here because every parameter steps together). */
    public long steps() { return step; }

    public void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step), bc2sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value(), g = p.grad();
            if (g == null) continue;
            var be = p.backend();
            if (m[i] == null)
                try (Scope s = be.unscoped()) {
                    m[i] = be.zeros(p.shape(), p.dtype());
                    v[i] = be.zeros(p.shape(), p.dtype());
                }
            double decay = decays[i] ? 1 - lr * weightDecay : 1;
            be.adamwStepInPlace(p, g, m[i], v[i], decay, beta1, beta2, lr / bc1, bc2sqrt, eps);
        }
    }

    public void zeroGrad() { for (Parameter p : params) p.zeroGrad(); }

    /** The first and second moments of parameter i (null before its first step): checkpoints save them. */
    public Tensor firstMoment(int i) { return m[i]; }

    public Tensor secondMoment(int i) { return v[i]; }

    /** Restores parameter i's moments and the shared step count (a checkpoint's). */
    public void restore(int i, Tensor first, Tensor second) {
        if ((first == null) != (second == null))
            throw new IllegalArgumentException("AdamW state of parameter " + i + " needs both moments or neither");
        m[i] = first;
        v[i] = second;
    }

    public void setSteps(long steps) {
        if (steps < 0) throw new IllegalArgumentException("steps " + steps + " must be >= 0");
        this.step = steps;
    }
}
