package dev.uvgl.dmnil.loss;

import dev.uvgl.autograd.Node;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The consistency regulariser of dmnil.md section 7: entries of sim = xn . M^T (no temperature) at
 * each row's top-k memory indices (chosen beforehand from the no-grad memory similarity) are
 * grouped, softmaxed within each group, smoothed p <- (p + eps) / (1 + eps * n_p), and scored by
 * KL(uniform || p) summed over every entry and divided by B. Gradient to xn only.
 *
 * <p>Like {@link NeighbourLoss}, M is held by reference and read again by the backward (the
 * reference's gradient sees the instance memory as updated after the forward). The forward-time
 * probabilities of the gathered entries (B*B*k or B*k numbers) are kept for the backward.
 */
public final class ConsistencyRegulariser extends Node {
    public static final int DEFAULT_K = 10;
    public static final double EPSILON = 1e-8;

    /** How the B x k indices gather the similarities. */
    public enum Form {
        /**
         * The reference's `sim[:, indices]`: a B x B x k tensor g[a][b][t] = sim[a][idx[b][t]], softmax
         * over b (so n_p = B and the uniform target is 1/B), batch mean = sum over all entries / B.
         */
        REFERENCE,
        /** g[a][t] = sim[a][idx[a][t]], softmax over t (n_p = k). */
        PER_ROW
    }

    private final Tensor memory;
    private final Groups groups;
    private final double[] probs;
    private final int rows, columns;

    private ConsistencyRegulariser(Tensor memory, Groups groups, double[] probs, int rows, int columns) {
        this.memory = memory;
        this.groups = groups;
        this.probs = probs;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Each row's k largest entries of queries . memory^T, largest first, ties to the lower index:
     * row a's indices are [a*k, a*k + k).
     */
    public static int[] topIndices(Tensor queries, Tensor memory, int k) {
        var be = queries.backend();
        try (Tensor sim = be.matmul(queries, false, memory, true)) {
            var top = be.topk(sim, k);
            top.values().close();
            return top.indices();
        }
    }

    /** @param indices B x k memory indices, row-major (as {@link #topIndices} returns them) */
    public static Tensor apply(Tensor xn, Tensor memory, int[] indices, int k, Form form) {
        int b = xn.dim(0), n = memory.dim(0);
        if (xn.rank() != 2 || memory.rank() != 2 || xn.dim(1) != memory.dim(1))
            throw new IllegalArgumentException("consistency regulariser: features " + xn.shape() + " and memory "
                    + memory.shape() + " must be B x D and N x D");
        if (k < 1 || indices.length != b * k)
            throw new IllegalArgumentException("consistency regulariser: " + indices.length + " indices for " + b
                    + " rows of k = " + k);
        for (int c : indices)
            if (c < 0 || c >= n)
                throw new IllegalArgumentException("consistency regulariser: index " + c + " outside [0, " + n + ")");
        var be = xn.backend();
        double[] s;
        try (Tensor sim = be.matmul(xn, false, memory, true)) {
            s = sim.toDoubleArray();
        }
        Groups groups = new Groups(form, indices, b, k);
        double[] p = new double[groups.count() * groups.size()];
        double[] g = new double[groups.size()];
        double total = 0, u = 1.0 / groups.size(), smooth = 1 + EPSILON * groups.size();
        for (int q = 0; q < groups.count(); q++) {
            int row = groups.row(q);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int m = 0; m < g.length; m++) max = Math.max(max, g[m] = s[row * n + groups.column(q, m)]);
            for (int m = 0; m < g.length; m++) sum += g[m] = Math.exp(g[m] - max);
            for (int m = 0; m < g.length; m++) {
                double pm = p[q * g.length + m] = g[m] / sum;
                total += u * (Math.log(u) - Math.log((pm + EPSILON) / smooth));
            }
        }
        Tensor out = be.fromDoubles(new double[] {total / b}, Shape.of(), xn.dtype());
        return record(new ConsistencyRegulariser(memory, groups, p, b, n), out, xn);
    }

    /**
     * Per group: dL/dp_m = -(u / B) / (p_m + eps) (the smoothing's scale cancels), through the softmax
     * dL/dg_m = p_m (dL/dp_m - sum p dL/dp), scattered onto the similarity entry each came from.
     */
    @Override protected Tensor[] backward(Tensor gy) {
        var be = gy.backend();
        int size = groups.size();
        double scale = -gy.item() / ((double) size * rows);
        double[] grad = new double[rows * columns];
        for (int q = 0; q < groups.count(); q++) {
            int row = groups.row(q), o = q * size;
            double dot = 0;
            for (int m = 0; m < size; m++) dot += probs[o + m] * scale / (probs[o + m] + EPSILON);
            for (int m = 0; m < size; m++) {
                double pm = probs[o + m];
                grad[row * columns + groups.column(q, m)] += pm * (scale / (pm + EPSILON) - dot);
            }
        }
        try (Tensor gSim = be.fromDoubles(grad, Shape.of(rows, columns), memory.dtype())) {
            return new Tensor[] {be.matmul(gSim, false, memory, false)};
        }
    }

    /** The softmax groups: which row of sim each reads, and which columns. */
    private static final class Groups {
        private final Form form;
        private final int[] indices;
        private final int b, k;

        Groups(Form form, int[] indices, int b, int k) {
            this.form = form;
            this.indices = indices.clone();
            this.b = b;
            this.k = k;
        }

        int count() { return form == Form.REFERENCE ? b * k : b; }

        int size() { return form == Form.REFERENCE ? b : k; }

        /** REFERENCE: group (a, t) is q = a*k + t; PER_ROW: group a is q = a. */
        int row(int q) { return form == Form.REFERENCE ? q / k : q; }

        int column(int q, int m) { return form == Form.REFERENCE ? indices[m * k + q % k] : indices[q * k + m]; }
    }
}
