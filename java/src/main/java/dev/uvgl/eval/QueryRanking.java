package dev.uvgl.eval;

import java.util.Arrays;

/**
 * One query's outcome against the gallery, University-1652 style: junk removed, then the 0-based
 * ranks of the good items among the rest, plus the first few non-junk items for top-K metrics.
 * Ranks are counted rather than found by a full sort (same result, O(G x n_good)). Equal scores
 * rank the lower gallery index first.
 */
final class QueryRanking {
    final int[] goodRanks;
    final int[] top;

    private QueryRanking(int[] goodRanks, int[] top) {
        this.goodRanks = goodRanks;
        this.top = top;
    }

    static QueryRanking of(float[] scores, int offset, int ng, int queryId, int[] galleryIds,
            boolean[] junk, int topK) {
        int nGood = 0;
        for (int g = 0; g < ng; g++) if (!junk[g] && galleryIds[g] == queryId) nGood++;
        int[] good = new int[nGood];
        for (int g = 0, k = 0; g < ng; g++) if (!junk[g] && galleryIds[g] == queryId) good[k++] = g;
        int[] ranks = new int[nGood];
        for (int k = 0; k < nGood; k++) {
            float s = scores[offset + good[k]];
            int above = 0;
            for (int g = 0; g < ng; g++) {
                if (junk[g]) continue;
                float t = scores[offset + g];
                if (t > s || (t == s && g < good[k])) above++;
            }
            ranks[k] = above;
        }
        Arrays.sort(ranks);
        return new QueryRanking(ranks, topNonJunk(scores, offset, ng, junk, topK));
    }

    /** Indices of the k best non-junk items, best first (a bounded insertion list: k is small). */
    private static int[] topNonJunk(float[] scores, int offset, int ng, boolean[] junk, int k) {
        int[] idx = new int[k];
        float[] val = new float[k];
        int n = 0;
        for (int g = 0; g < ng; g++) {
            if (junk[g]) continue;
            float s = scores[offset + g];
            if (n == k && !(s > val[k - 1])) continue;
            int pos = n < k ? n++ : k - 1;
            while (pos > 0 && s > val[pos - 1]) {
                val[pos] = val[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            val[pos] = s;
            idx[pos] = g;
        }
        return Arrays.copyOf(idx, n);
    }

    /** University-1652's compute_mAP: trapezoid of precision before and at each good item. */
    double averagePrecision() {
        int n = goodRanks.length;
        double ap = 0;
        for (int i = 0; i < n; i++) {
            double dRecall = 1.0 / n;
            double precision = (i + 1) * 1.0 / (goodRanks[i] + 1);
            double oldPrecision = goodRanks[i] != 0 ? i * 1.0 / goodRanks[i] : 1.0;
            ap = ap + dRecall * (oldPrecision + precision) / 2;
        }
        return ap;
    }
}
