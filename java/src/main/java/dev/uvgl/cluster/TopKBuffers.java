package dev.uvgl.cluster;

/**
 * For each of `rows` rows, the `k` best (score, id) pairs offered to it: higher score first, then
 * lower id. The order is total, so what a row keeps does not depend on the order of the offers, which
 * makes parallel filling deterministic. Each pair is one long key whose integer order is that order
 * (the score's bits made monotonic above, the complemented id below).
 * A row appends offers to a buffer of 2k and, when it is full, keeps its k best by selection: a few
 * nanoseconds an offer, where a binary heap's unpredictable branches cost tens. Scores below
 * {@link #threshold} can be skipped without offering them. A row must be filled by one thread at a time.
 */
final class TopKBuffers {
    private final int k, cap;
    private final long[] key;
    private final int[] count;
    private final float[] threshold;

    TopKBuffers(int rows, int k) {
        this.k = k;
        this.cap = Math.max(2 * k, k + 8);
        this.key = new long[rows * cap];
        this.count = new int[rows];
        this.threshold = new float[rows];
        java.util.Arrays.fill(threshold, Float.NEGATIVE_INFINITY);
    }

    static long key(float score, int id) {
        int bits = Float.floatToRawIntBits(score);
        bits ^= (bits >> 31) & 0x7fffffff;  // negative floats: reverse their order
        return ((long) bits << 32) | (~id & 0xffffffffL);
    }

    private static float scoreOf(long key) {
        int bits = (int) (key >> 32);
        return Float.intBitsToFloat(bits ^ ((bits >> 31) & 0x7fffffff));
    }

    /** A score below this cannot enter the row's k best. */
    float threshold(int row) { return threshold[row]; }

    void offer(int row, float score, int id) {
        int base = row * cap, n = count[row];
        key[base + n] = key(score, id);
        count[row] = ++n;
        if (n == cap) keepBest(row);
    }

    /** Cuts every row to its k best; call once all offers are in, before reading. */
    void finish(int row) { if (count[row] > k) keepBest(row); }

    int size(int row) { return count[row]; }

    int id(int row, int t) { return ~(int) key[row * cap + t]; }

    float score(int row, int t) { return scoreOf(key[row * cap + t]); }

    private void keepBest(int row) {
        int base = row * cap;
        selectLargest(key, base, base + count[row], base + k);
        count[row] = k;
        long worst = Long.MAX_VALUE;
        for (int t = base; t < base + k; t++) worst = Math.min(worst, key[t]);
        threshold[row] = scoreOf(worst);
    }

    /** Reorders a[lo, hi) (distinct keys) so that a[lo, target) holds its largest keys (quickselect). */
    static void selectLargest(long[] a, int lo, int hi, int target) {
        while (lo < target && target < hi) {
            int mid = (lo + hi) >>> 1;
            long x = a[lo], y = a[mid], z = a[hi - 1];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));  // median of three
            int i = lo, j = hi - 1;
            while (i <= j) {  // Hoare partition, larger keys to the left
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            // Now a[lo..j] >= pivot >= a[i..hi), anything between equals the pivot.
            if (target <= j) hi = j + 1;
            else if (target >= i) lo = i;
            else return;
        }
    }
}
