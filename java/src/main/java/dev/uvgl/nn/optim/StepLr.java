package dev.uvgl.nn.optim;

/** torch.optim.lr_scheduler.StepLR: lr = base * gamma^floor(epoch / stepSize). */
public final class StepLr {
    private final double base, gamma;
    private final int stepSize;

    public StepLr(double base, int stepSize, double gamma) {
        if (stepSize < 1) throw new IllegalArgumentException("StepLR step size must be >= 1, got " + stepSize);
        this.base = base;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    public double lrAt(int epoch) { return base * Math.pow(gamma, Math.floorDiv(epoch, stepSize)); }

    /** Sets the optimiser's lr for the given epoch (0-based). */
    public void apply(Sgd sgd, int epoch) { sgd.setLr(lrAt(epoch)); }
}
