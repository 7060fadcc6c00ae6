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
