package dev.uvgl.cluster;

/**
 * For each of `rows` rows, the `k` best (score, id) pairs offered to it: higher score first, then
 * lower id. The order is total, so what a row keeps does not depend on the order of the offers, which
 * makes parallel filling deterministic. Flat arrays, one binary heap per row with its worst at the root.
 * A row must be filled by one thread at a time.
 */
final class TopKHeaps {
    private final int k;
    private final float[] score;
    private final int[] id, size;

    TopKHeaps(int rows, int k) {
        this.k = k;
        this.score = new float[rows * k];
        this.id = new int[rows * k];
        this.size = new int[rows];
    }

    int k() { return k; }

    int size(int row) { return size[row]; }

    boolean full(int row) { return size[row] == k; }

    /** The worst score kept (meaningful once the row is full). */
    float worstScore(int row) { return score[row * k]; }

    /** The ids kept by a row, in heap order (unsorted). */
    int id(int row, int t) { return id[row * k + t]; }

    float score(int row, int t) { return score[row * k + t]; }

    private static boolean better(float s, int i, float s2, int i2) { return s > s2 || (s == s2 && i < i2); }

    void offer(int row, float s, int i) {
        int base = row * k, n = size[row];
        if (n < k) {
            int c = n;
            while (c > 0) {  // sift up: a worse entry moves towards the root
                int p = (c - 1) >>> 1;
                if (!better(score[base + p], id[base + p], s, i)) break;
                score[base + c] = score[base + p];
                id[base + c] = id[base + p];
                c = p;
            }
            score[base + c] = s;
            id[base + c] = i;
            size[row] = n + 1;
            return;
        }
        if (!better(s, i, score[base], id[base])) return;
        int c = 0;
        while (true) {  // sift down from the root, promoting the worse child
            int l = 2 * c + 1;
            if (l >= k) break;
            int w = l;
            if (l + 1 < k && better(score[base + l], id[base + l], score[base + l + 1], id[base + l + 1])) w = l + 1;
            if (!better(s, i, score[base + w], id[base + w])) break;
            score[base + c] = score[base + w];
            id[base + c] = id[base + w];
            c = w;
        }
        score[base + c] = s;
        id[base + c] = i;
    }
}
