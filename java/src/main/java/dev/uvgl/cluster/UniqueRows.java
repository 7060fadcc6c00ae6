package dev.uvgl.cluster;

import gnu.trove.map.hash.TObjectIntHashMap;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Groups bit-identical rows (the satellite view's replicated tiles). Distances are then computed
 * between distinct rows only, so every copy of a row gets exactly the same distances (dmnil.md 6).
 */
final class UniqueRows {
    final int[] rowToUnique;   // n
    final int[] first;         // per unique row: its lowest row index
    final int[][] copies;      // per unique row: its rows, ascending
    final float[] values;      // unique rows, m x d

    private UniqueRows(int[] rowToUnique, int[] first, int[][] copies, float[] values) {
        this.rowToUnique = rowToUnique; this.first = first; this.copies = copies; this.values = values;
    }

    int count() { return first.length; }

    static UniqueRows of(float[] x, int n, int d) {
        TObjectIntHashMap<ByteBuffer> seen = new TObjectIntHashMap<>(n * 2, 0.5f, -1);
        int[] map = new int[n], firstOf = new int[n], sizes = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer key = ByteBuffer.allocate(4 * d);
            key.asFloatBuffer().put(x, i * d, d);
            int u = seen.get(key);
            if (u < 0) { u = m++; seen.put(key, u); firstOf[u] = i; }
            map[i] = u;
            sizes[u]++;
        }
        int[][] copies = new int[m][];
        for (int u = 0; u < m; u++) copies[u] = new int[sizes[u]];
        int[] fill = new int[m];
        for (int i = 0; i < n; i++) copies[map[i]][fill[map[i]]++] = i;
        float[] vals = new float[m * d];
        for (int u = 0; u < m; u++) System.arraycopy(x, firstOf[u] * d, vals, u * d, d);
        return new UniqueRows(map, Arrays.copyOf(firstOf, m), copies, vals);
    }
}
