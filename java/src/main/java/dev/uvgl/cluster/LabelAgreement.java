package dev.uvgl.cluster;

import gnu.trove.map.hash.TLongIntHashMap;
import gnu.trove.map.hash.TIntIntHashMap;

/** How far two labellings agree, label names aside (noise -1 counts as one more label). */
public final class LabelAgreement {
    private LabelAgreement() {}

    /** Whether a one-to-one renaming of a's labels (keeping -1 as -1) gives b. */
    public static boolean sameUpToRenaming(int[] a, int[] b) {
        if (a.length != b.length) return false;
        TIntIntHashMap ab = new TIntIntHashMap(), ba = new TIntIntHashMap();
        for (int i = 0; i < a.length; i++) {
            if ((a[i] == -1) != (b[i] == -1)) return false;
            if (ab.containsKey(a[i]) ? ab.get(a[i]) != b[i] : ba.containsKey(b[i])) return false;
            ab.put(a[i], b[i]);
            ba.put(b[i], a[i]);
        }
        return true;
    }

    /** The adjusted Rand index (Hubert and Arabie): 1 for identical partitions, about 0 for unrelated ones. */
    /**
     * Rows whose labels disagree beyond a renaming: noise in one and not the other, or a label of `a` that
     * most of its rows map to another label of `b` than this row has. Ascending.
     */
    public static int[] disagreeing(int[] a, int[] b) {
        java.util.Map<Integer, java.util.Map<Integer, Integer>> counts = new java.util.HashMap<>();
        for (int i = 0; i < a.length; i++) if (a[i] >= 0) counts.computeIfAbsent(a[i], k
                -> new java.util.HashMap<>()).merge(b[i], 1, Integer::sum);
        java.util.Map<Integer, Integer> major = new java.util.HashMap<>();
        counts.forEach((la, m) -> major.put(la, m.entrySet().stream().max(java.util.Map.Entry.<Integer,
                Integer>comparingByValue()
                .thenComparing(java.util.Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                .orElseThrow().getKey()));
        return java.util.stream.IntStream.range(0, a.length)
                .filter(i -> (a[i] < 0) != (b[i] < 0) || (a[i] >= 0 && major.get(a[i]) != b[i])).toArray();
    }

    public static double adjustedRand(int[] a, int[] b) {
        TLongIntHashMap pairs = new TLongIntHashMap();
        TIntIntHashMap rows = new TIntIntHashMap(), cols = new TIntIntHashMap();
        for (int i = 0; i < a.length; i++) {
            pairs.adjustOrPutValue(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, 1);
            rows.adjustOrPutValue(a[i], 1, 1);
            cols.adjustOrPutValue(b[i], 1, 1);
        }
        double both = sumPairs(pairs.values()), sa = sumPairs(rows.values()), sb = sumPairs(cols.values());
        double all = a.length * (a.length - 1.0) / 2, expected = sa * sb / all, max = (sa + sb) / 2;
        return max == expected ? 1.0 : (both - expected) / (max - expected);
    }

    private static double sumPairs(int[] counts) {
        double s = 0;
        for (int c : counts) s += c * (c - 1.0) / 2;
        return s;
    }
}
