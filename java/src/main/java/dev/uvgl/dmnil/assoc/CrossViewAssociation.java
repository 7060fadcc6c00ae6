package dev.uvgl.dmnil.assoc;

import dev.uvgl.tensor.Tensor;

/**
 * Cross-view label association, dmnil.md section 5 steps 2-3: gives every satellite row a
 * drone-cluster label.
 * <ol>
 * <li>Vote: A = the satellite row's voteK nearest drone rows by fs . fd^T, B = the same by
 * fs' . fd'^T (the noisy copies). Each candidate label Ld[A_j] scores how many of Ld[B] equal it;
 * the best-scoring candidate wins, ties to the first in A's order (the reference's top-1 over the
 * counts picks an arbitrary one of the tied; the engine fixes it to the first). -1 (outlier) is a
 * label like any other here.</li>
 * <li>Smoothing: the smoothK largest entries of fs . fs^T + fs' . fs'^T in the row (usually itself
 * among them) vote with their step-2 labels; the most frequent label wins, ties to the lowest
 * label, so -1 wins a tie (the reference's argmax over one-hot(label + 1) counts).</li>
 * </ol>
 * Nearest-neighbour lists break score ties to the lower index. Nothing Ns x Nd or Ns x Ns is
 * held: satellite rows are streamed tileRows at a time.
 */
public final class CrossViewAssociation {
    /** TOPK2 = Score_TOPK = 10 and the top-5 of the smoothing in train.py. */
    public static final int DEFAULT_VOTE_K = 10, DEFAULT_SMOOTH_K = 5, DEFAULT_TILE_ROWS = 512;

    private final int voteK, smoothK, tileRows;

    public CrossViewAssociation(int voteK, int smoothK, int tileRows) {
        if (voteK < 1 || smoothK < 1 || tileRows < 1)
            throw new IllegalArgumentException("voteK " + voteK + ", smoothK " + smoothK + ", tileRows " + tileRows);
        this.voteK = voteK;
        this.smoothK = smoothK;
        this.tileRows = tileRows;
    }

    public static CrossViewAssociation standard() {
        return new CrossViewAssociation(DEFAULT_VOTE_K, DEFAULT_SMOOTH_K, DEFAULT_TILE_ROWS);
    }

    /** The satellite rows' labels after the vote (step 2) and after the smoothing (step 3). */
    public record Labels(int[] voted, int[] smoothed) {}

    /**
     * @param fs          satellite rows (Ns x D, unit), every virtual copy its own row
     * @param fd          drone rows (Nd x D, unit)
     * @param droneLabels Ld, one per drone row, -1 for an outlier
     * @param fsNoisy     fs' (see {@link FeatureNoise})
     * @param fdNoisy     fd'
     */
    public Labels associate(Tensor fs, Tensor fd, int[] droneLabels, Tensor fsNoisy, Tensor fdNoisy) {
        if (droneLabels.length != fd.dim(0))
            throw new IllegalArgumentException(droneLabels.length + " drone labels for " + fd.dim(0) + " drone rows");
        if (!fs.shape().equals(fsNoisy.shape()) || !fd.shape().equals(fdNoisy.shape()))
            throw new IllegalArgumentException("noisy copies must have the shapes of the features: " + fsNoisy.shape()
                    + " vs " + fs.shape() + ", " + fdNoisy.shape() + " vs " + fd.shape());
        for (int l : droneLabels)
            if (l < -1) throw new IllegalArgumentException("drone label " + l + " (outliers are -1)");
        int[] voted = vote(TiledTopK.search(new Tensor[] {fs}, new Tensor[] {fd}, voteK, tileRows),
                TiledTopK.search(new Tensor[] {fsNoisy}, new Tensor[] {fdNoisy}, voteK, tileRows),
                droneLabels, fs.dim(0));
        int[] near = TiledTopK.search(new Tensor[] {fs, fsNoisy}, new Tensor[] {fs, fsNoisy}, smoothK, tileRows);
        return new Labels(voted, smooth(near, voted));
    }

    private int[] vote(int[] clean, int[] noisy, int[] labels, int rows) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            int o = i * voteK, best = 0, bestCount = -1;
            for (int a = 0; a < voteK; a++) {
                int candidate = labels[clean[o + a]], count = 0;
                for (int b = 0; b < voteK; b++) if (labels[noisy[o + b]] == candidate) count++;
                if (count > bestCount) { best = candidate; bestCount = count; }
            }
            out[i] = best;
        }
        return out;
    }

    private int[] smooth(int[] near, int[] voted) {
        int rows = voted.length;
        int[] out = new int[rows], seen = new int[smoothK];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < smoothK; t++) seen[t] = voted[near[i * smoothK + t]];
            int best = Integer.MAX_VALUE, bestCount = 0;
            for (int t = 0; t < smoothK; t++) {
                int count = 0;
                for (int u = 0; u < smoothK; u++) if (seen[u] == seen[t]) count++;
                if (count > bestCount || (count == bestCount && seen[t] < best)) { best = seen[t]; bestCount = count; }
            }
            out[i] = best;
        }
        return out;
    }
}
