package dev.uvgl.cluster;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TopKBuffersTest {
    /** The kept (score, id) pairs of a row, sorted best first, as "score/id" strings. */
    private static String[] kept(TopKBuffers b, int row) {
        b.finish(row);
        long[] keys = new long[b.size(row)];
        for (int t = 0; t < keys.length; t++) keys[t] = TopKBuffers.key(b.score(row, t), b.id(row, t));
        Arrays.sort(keys);
        String[] out = new String[keys.length];
        for (int t = 0; t < keys.length; t++) {
            int id = ~(int) keys[keys.length - 1 - t];
            out[t] = b.score(row, indexOf(b, row, id)) + "/" + id;
        }
        return out;
    }

    private static int indexOf(TopKBuffers b, int row, int id) {
        for (int t = 0; t < b.size(row); t++) if (b.id(row, t) == id) return t;
        throw new AssertionError(id);
    }

    @Test void keepsTheBestByScoreThenLowerIdWhateverTheOfferOrder() {
        Random rng = new Random(5);
        int n = 5000, k = 38;
        float[] score = new float[n];
        for (int i = 0; i < n; i++) score[i] = rng.nextInt(400) / 100f - 2;  // many exact ties, negative scores too
        Integer[] byRank = new Integer[n];
        for (int i = 0; i < n; i++) byRank[i] = i;
        Arrays.sort(byRank, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(a, b));
        String[] want = new String[k];
        for (int t = 0; t < k; t++) want[t] = score[byRank[t]] + "/" + byRank[t];

        for (int trial = 0; trial < 3; trial++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            TopKBuffers b = new TopKBuffers(2, k);
            for (int i : order) if (score[i] >= b.threshold(1)) b.offer(1, score[i], i);
            assertArrayEquals(want, kept(b, 1), "offer order " + trial);
        }
    }
}
