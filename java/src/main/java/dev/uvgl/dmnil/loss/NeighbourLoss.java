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
 * recompute p from M; the op keeps the forward-time logits xn . M^T / tau (B x N, in xn's dtype)
 * and rebuilds p from them.
 *
 * <p>Every B x N step (the logits, the log-softmax, p, the gradient of the logits) runs on the
 * backend, so on the GPU only the few neighbour entries cross to the host: the memory has up to
 * ~40k rows and a batch row has a handful of neighbours.
 */
public final class NeighbourLoss extends Node {
    /** The reference's clamp_min on the probabilities before the log. */
    public static final double DEFAULT_CLAMP = 1e-8;

    private final Tensor memory, scaledLogits;
    private final double[] neighbourLogProbs;
    private final NeighbourMask mask;
    private final double temperature, logClamp;

    private NeighbourLoss(Tensor memory, Tensor scaledLogits, double[] neighbourLogProbs, NeighbourMask mask,
            double temperature, double clamp) {
        this.memory = memory;
        this.scaledLogits = scaledLogits;
        this.neighbourLogProbs = neighbourLogProbs;
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
            throw new IllegalArgumentException("neighbour loss: features " + xn.shape() + " and memory "
                    + memory.shape() + " must be B x D and N x D");
        if (mask.rows() != b || mask.columns() != n)
            throw new IllegalArgumentException("neighbour loss: mask is " + mask.rows() + " x " + mask.columns()
                    + ", similarities are " + b + " x " + n);
        if (!(temperature > 0) || !(clamp > 0))
            throw new IllegalArgumentException("neighbour loss: temperature " + temperature + ", clamp " + clamp);
        var be = xn.backend();
        Tensor scaled;
        try (Tensor logits = be.matmul(xn, false, memory, true)) {
            scaled = be.affine(logits, 1 / temperature, 0);
        }
        int[] cells = neighbourCells(mask, n);
        double[] logP = new double[0];
        if (cells.length > 0)
            try (Tensor lp = be.logSoftmax(scaled); Tensor picked = be.gatherRows(lp.view(Shape.of(b * n, 1)), cells)) {
                logP = picked.toDoubleArray();
            }
        double logClamp = Math.log(clamp), loss = 0;
        for (int i = 0, t = 0; i < b; i++) {
            double row = 0;
            for (int c = mask.count(i); c > 0; c--) row -= Math.max(logP[t++], logClamp);
            loss += row / mask.divisor(i);
        }
        Tensor out = be.fromDoubles(new double[] {loss / b}, Shape.of(), xn.dtype());
        return record(new NeighbourLoss(memory, scaled, logP, mask, temperature, clamp), out, xn);
    }

    /** The flat B x N cell of every neighbour, row by row. */
    private static int[] neighbourCells(NeighbourMask mask, int n) {
        int total = 0;
        for (int i = 0; i < mask.rows(); i++) total += mask.count(i);
        int[] cells = new int[total];
        for (int i = 0, t = 0; i < mask.rows(); i++) for (int j : mask.neighboursShared(i)) cells[t++] = i * n + j;
        return cells;
    }

    /**
     * d loss / d logit[i][k] = (p[i][k] * c_i - c[i][k]) / (B tau), c[i][j] = 1/n_i for the neighbours
     * whose probability is not clamped (a clamped one is a constant: zero gradient), c_i their sum.
     */
    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        int b = scaledLogits.dim(0), widest = 1;
        for (int i = 0; i < b; i++) widest = Math.max(widest, mask.count(i));
        double k = gy.item() / (b * temperature);
        // The sparse part -k/n_i at each unclamped neighbour, as rows of `widest` (index, value) pairs
        // padded with (0, 0): a scatter-add of zero changes nothing.
        double[] rowScale = new double[b], sparse = new double[b * widest];
        int[] cols = new int[b * widest];
        for (int i = 0, t = 0; i < b; i++) {
            double w = 1.0 / mask.divisor(i), c = 0;
            int slot = i * widest;
            for (int j : mask.neighboursShared(i)) {
                if (neighbourLogProbs[t++] < logClamp) continue;
                cols[slot] = j;
                sparse[slot++] = -k * w;
                c += w;
            }
            rowScale[i] = k * c;
        }
        try (Tensor p = be.softmax(scaledLogits);
                Tensor scale = be.fromDoubles(rowScale, Shape.of(b), scaledLogits.dtype());
             Tensor scaleRows = be.broadcastAlong(scale, scaledLogits.shape(), 1); Tensor dense = be.mul(p, scaleRows);
             Tensor values = be.fromDoubles(sparse, Shape.of(b, widest), scaledLogits.dtype());
             Tensor gLogits = be.topkBackward(values, cols, scaledLogits.shape())) {
            be.addInPlace(gLogits, dense);
            return new Tensor[] {be.matmul(gLogits, false, memory, false)};
        }
    }
}
