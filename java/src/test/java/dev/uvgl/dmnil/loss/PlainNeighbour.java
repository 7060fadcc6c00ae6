package dev.uvgl.dmnil.loss;

/**
 * The neighbour loss and the consistency regulariser written out in double loops, straight from
 * dmnil.md section 7: the float64 re-computation the ops are compared with. Matrices are row-major.
 */
final class PlainNeighbour {
    private PlainNeighbour() {}

    static double[] sim(double[] x, int b, double[] m, int n, int d) {
        double[] s = new double[b * n];
        for (int i = 0; i < b; i++) for (int j = 0; j < n; j++) {
            double t = 0;
            for (int c = 0; c < d; c++) t += x[i * d + c] * m[j * d + c];
            s[i * n + j] = t;
        }
        return s;
    }

    static double[] softmaxRow(double[] s, int row, int n, double scale) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, s[row * n + j] * scale);
        double[] p = new double[n];
        for (int j = 0; j < n; j++) sum += p[j] = Math.exp(s[row * n + j] * scale - max);
        for (int j = 0; j < n; j++) p[j] /= sum;
        return p;
    }

    /** mean_i -sum_j mask[i][j] log(max(p[i][j], clamp)) / (count_i + 1). */
    static double loss(double[] x, double[] m, boolean[][] mask, int b, int n, int d, double tau, double clamp) {
        double[] s = sim(x, b, m, n, d);
        double loss = 0;
        for (int i = 0; i < b; i++) {
            double[] p = softmaxRow(s, i, n, 1 / tau);
            int count = 0;
            double row = 0;
            for (int j = 0; j < n; j++) if (mask[i][j]) { count++; row -= Math.log(Math.max(p[j], clamp)); }
            loss += row / (count + 1);
        }
        return loss / b;
    }

    /**
     * d loss / d x with the softmax taken on mForward and the product with mBackward (the by-reference
     * quirk when they differ): d/dx_i = sum_k (p_ik c_i - c_ik) mBackward_k / (B tau).
     */
    static double[] grad(double[] x, double[] mForward, double[] mBackward, boolean[][] mask, int b, int n, int d,
            double tau, double clamp) {
        double[] s = sim(x, b, mForward, n, d);
        double[] g = new double[b * d];
        for (int i = 0; i < b; i++) {
            double[] p = softmaxRow(s, i, n, 1 / tau);
            int count = 0;
            for (int j = 0; j < n; j++) if (mask[i][j]) count++;
            double[] c = new double[n];
            double cSum = 0;
            for (int j = 0; j < n; j++) if (mask[i][j] && p[j] >= clamp) { c[j] = 1.0 / (count + 1); cSum += c[j]; }
            for (int k = 0; k < n; k++) {
                double gl = (p[k] * cSum - c[k]) / (b * tau);
                for (int e = 0; e < d; e++) g[i * d + e] += gl * mBackward[k * d + e];
            }
        }
        return g;
    }

    static boolean[][] dense(NeighbourMask mask) {
        boolean[][] out = new boolean[mask.rows()][mask.columns()];
        for (int i = 0; i < mask.rows(); i++) for (int j : mask.neighbours(i)) out[i][j] = true;
        return out;
    }

    /** mask[i][j] = sim > r max(sim) and simS > r max(simS), per row. */
    static boolean[][] mask(double[] q, double[] m, double[] qs, double[] ms, int b, int n, int d, double r) {
        double[] s = sim(q, b, m, n, d), s2 = sim(qs, b, ms, n, d);
        boolean[][] out = new boolean[b][n];
        for (int i = 0; i < b; i++) {
            double m1 = Double.NEGATIVE_INFINITY, m2 = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) { m1 = Math.max(m1, s[i * n + j]); m2 = Math.max(m2, s2[i * n + j]); }
            for (int j = 0; j < n; j++) out[i][j] = s[i * n + j] > r * m1 && s2[i * n + j] > r * m2;
        }
        return out;
    }

    /**
     * The regulariser: groups of (row, column) entries of sim, softmax within each group, smoothing,
     * sum of u (log u - log p~) over every entry, / b. Returns {value, d/dx...} with the gradient
     * taken through sim = x . m^T.
     */
    static double[] regulariser(double[] x, double[] m, int[] idx, int k, boolean reference, int b, int n, int d) {
        double[] s = sim(x, b, m, n, d);
        int groups = reference ? b * k : b, size = reference ? b : k;
        double u = 1.0 / size, eps = 1e-8, value = 0;
        double[] gs = new double[b * n];
        for (int q = 0; q < groups; q++) {
            int row = reference ? q / k : q;
            int[] cols = new int[size];
            for (int e = 0; e < size; e++) cols[e] = reference ? idx[e * k + q % k] : idx[q * k + e];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c : cols) max = Math.max(max, s[row * n + c]);
            double[] p = new double[size];
            for (int e = 0; e < size; e++) sum += p[e] = Math.exp(s[row * n + cols[e]] - max);
            for (int e = 0; e < size; e++) p[e] /= sum;
            double[] dp = new double[size];
            for (int e = 0; e < size; e++) {
                double smoothed = (p[e] + eps) / (1 + eps * size);
                value += u * (Math.log(u) - Math.log(smoothed)) / b;
                dp[e] = -u / smoothed / (1 + eps * size) / b;
            }
            double dot = 0;
            for (int e = 0; e < size; e++) dot += p[e] * dp[e];
            for (int e = 0; e < size; e++) gs[row * n + cols[e]] += p[e] * (dp[e] - dot);
        }
        double[] out = new double[1 + b * d];
        out[0] = value;
        for (int i = 0; i < b; i++)
            for (int j = 0; j < n; j++) for (int e = 0; e < d; e++) out[1 + i * d + e] += gs[i * n + j] * m[j * d + e];
        return out;
    }
}
