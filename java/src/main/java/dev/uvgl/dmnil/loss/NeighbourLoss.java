package dev.uvgl.dmnil.loss;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The neighbour loss of dmnil.md section 7: with p = softmax(xn . M^T / tau),
 * loss = mean over rows i of -sum over i's neighbours j of log(max(p[i][j], clampMin)) / n_i.
 * xn (B x D) are unit feature rows (the caller normalises); M (N x D) is an instance memory and
 * gets no gradient.
 *
 * <p>The op holds M by reference and its backward reads M's contents at backward time: the
 * reference moves instance-memory rows in place between its forward and backward, so its
 * gradient multiplies the forward-time softmax by the updated rows (dmnil.md section 4, quirk).
 * Pass a copy of M for the forward-time gradient. Because of that split, the backward cannot
 * recompute p from M; the op keeps the forward-time logits xn . M^T (B x N, in xn's dtype) and
 * per-row log-sum-exps, and rebuilds p from them.
 */
public final class NeighbourLoss extends Node {
    /** The reference's clamp_min on the probabilities before the log. */
    public static final double DEFAULT_CLAMP = 1e-8;

    private final Tensor memory, logits;
    private final double[] logSumExp;
    private final NeighbourMask mask;
    private final double temperature, logClamp;

    private NeighbourLoss(Tensor memory, Tensor logits, double[] logSumExp, NeighbourMask mask, double temperature, double clamp) {
        this.memory = memory;
        this.logits = logits;
        this.logSumExp = logSumExp;
        this.mask = mask;
        this.temperature = temperature;
        this.logClamp = Math.log(clamp);
    }

    public static Tensor apply(Tensor xn, Tensor memory, NeighbourMask mask, double temperature) {
        return apply(xn, memory, mask, temperature, DEFAULT_CLAMP);
    }

    public static Tensor apply(Tensor xn, Tensor memory, NeighbourMask mask, double temperature, double clamp) {
        int b = xn.dim(0), n = memory.dim(0);
        if (xn.rank() != 2 || memory.rank() != 2 || xn.dim(1) != memory.dim(1))
            throw new IllegalArgumentException("neighbour loss: features " + xn.shape() + " and memory " + memory.shape() + " must be B x D and N x D");
        if (mask.rows() != b || mask.columns() != n)
            throw new IllegalArgumentException("neighbour loss: mask is " + mask.rows() + " x " + mask.columns() + ", similarities are " + b + " x " + n);
        if (!(temperature > 0) || !(clamp > 0)) throw new IllegalArgumentException("neighbour loss: temperature " + temperature + ", clamp " + clamp);
        var be = xn.backend();
        Tensor logits = be.matmul(xn, false, memory, true);
        double[] s = logits.toDoubleArray();
        double[] lse = new double[b];
        double logClamp = Math.log(clamp), loss = 0;
        for (int i = 0; i < b; i++) {
            lse[i] = logSumExp(s, i * n, n, 1 / temperature);
            double row = 0;
            for (int j : mask.neighboursShared(i)) row -= Math.max(s[i * n + j] / temperature - lse[i], logClamp);
            loss += row / mask.divisor(i);
        }
        Tensor out = be.fromDoubles(new double[] {loss / b}, Shape.of(), xn.dtype());
        return record(new NeighbourLoss(memory, logits, lse, mask, temperature, clamp), out, xn);
    }

    static double logSumExp(double[] s, int offset, int n, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, s[offset + j] * scale);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += Math.exp(s[offset + j] * scale - max);
        return max + Math.log(sum);
    }

    /**
     * d loss / d logit[i][k] = (p[i][k] * c_i - c[i][k]) / (B tau), c[i][j] = 1/n_i for the neighbours
     * whose probability is not clamped (a clamped one is a constant: zero gradient), c_i their sum.
     */
    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        int b = logits.dim(0), n = logits.dim(1);
        double[] s = logits.toDoubleArray();
        double k = gy.item() / (b * temperature);
        double[] g = new double[b * n];
        for (int i = 0; i < b; i++) {
            int o = i * n;
            double w = 1.0 / mask.divisor(i), c = 0;
            for (int j : mask.neighboursShared(i)) {
                if (s[o + j] / temperature - logSumExp[i] < logClamp) continue;
                g[o + j] -= k * w;
                c += w;
            }
            if (c == 0) continue;
            for (int j = 0; j < n; j++) g[o + j] += k * c * Math.exp(s[o + j] / temperature - logSumExp[i]);
        }
        try (Tensor gLogits = be.fromDoubles(g, Shape.of(b, n), logits.dtype())) {
            return new Tensor[] {be.matmul(gLogits, false, memory, false)};
        }
    }
}
