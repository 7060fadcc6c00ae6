package dev.uvgl.nn.optim;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Scope;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * torch.optim.SGD with momentum and weight decay (dampening 0, no Nesterov): weight decay is added to
 * the gradient, the momentum buffer starts as the first gradient, parameters without a gradient are
 * skipped. The step runs on the parameters' backend through sgdStepAll: one launch for every parameter
 * on a device per lr scale (twice that on the first step, when some buffers are new), one kernel per parameter
 * on the CPU. Momentum buffers are long-lived state: they are made outside any scope, even when the first step
 * runs inside a training step's scope.
 */
public final class Sgd {
    private final List<Parameter> params;
    private final Tensor[] buffers;
    private final double[] lrScales;
    private final double momentum, weightDecay;
    private double lr;

    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay) {
        this(params, lr, momentum, weightDecay, null);
    }

    /**
     * lrScales[i] multiplies lr for parameter i (null: 1 for all), as torch's parameter groups do; parameters
     * of one scale still step in one launch.
     */
    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay, double[] lrScales) {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0))
            throw new IllegalArgumentException("SGD wants lr, momentum and weight decay >= 0, got " + lr + ", "
                    + momentum + ", " + weightDecay);
        this.params = new ArrayList<>(params);
        this.buffers = new Tensor[params.size()];
        if (lrScales != null && lrScales.length != params.size())
            throw new IllegalArgumentException(lrScales.length + " lr scales for " + params.size() + " parameters");
        this.lrScales = lrScales == null ? ones(params.size()) : lrScales.clone();
        for (double s : this.lrScales)
            if (!(s >= 0) || Double.isInfinite(s))
                throw new IllegalArgumentException("SGD lr scales must be finite and >= 0, got " + s);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1);
        return a;
    }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public void step() {
        Map<Double, Group> fresh = new TreeMap<>(), running = new TreeMap<>();
        Backend be = null;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value(), g = p.grad();
            if (g == null) continue;
            be = p.backend();
            // Without momentum torch keeps no buffer; passing "first step" every time gives its arithmetic.
            boolean first = buffers[i] == null || momentum == 0;
            if (buffers[i] == null)
                try (Scope s = be.unscoped()) { buffers[i] = be.zeros(p.shape(), p.dtype()); }
            (first ? fresh : running).computeIfAbsent(lrScales[i], k -> new Group()).add(p, g, buffers[i]);
        }
        if (be == null) return;
        for (var e : fresh.entrySet()) e.getValue().step(be, e.getKey(), true);
        for (var e : running.entrySet()) e.getValue().step(be, e.getKey(), false);
    }

    /** Parameters that take one sgdStepAll call together. */
    private final class Group {
        final List<Tensor> params = new ArrayList<>(), grads = new ArrayList<>(), buffers = new ArrayList<>();

        void add(Tensor p, Tensor g, Tensor b) { params.add(p); grads.add(g); buffers.add(b); }

        void step(Backend be, double scale, boolean first) {
            if (!params.isEmpty()) be.sgdStepAll(params, grads, buffers, lr * scale, momentum, weightDecay, first);
        }
    }

    public void zeroGrad() { for (Parameter p : params) p.zeroGrad(); }

    /** Momentum buffer of parameter i (null before its first step): checkpoints save it. */
    public Tensor momentumBuffer(int i) { return buffers[i]; }

    public void setMomentumBuffer(int i, Tensor buf) { buffers[i] = buf; }
}
