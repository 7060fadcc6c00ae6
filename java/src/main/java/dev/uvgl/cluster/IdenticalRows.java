package dev.uvgl.cluster;

import java.util.Arrays;

/**
 * Bit-identical rows grouped together (the satellite view replicates each tile 49 times). Distances
 * are computed once per group, so copies get identical distances by construction, and each group's
 * members are listed in ascending row order, the tie order of section 6.
 * Groups are numbered in order of their first row.
 */
public final class IdenticalRows {
    private final int[] groupOf, memberStart, members;

    private IdenticalRows(int[] groupOf, int[] memberStart, int[] members) {
        this.groupOf = groupOf;
        this.memberStart = memberStart;
        this.members = members;
    }

    public static IdenticalRows of(UnitRows rows) {
        int n = rows.n(), dim = rows.dim();
        float[] x = rows.data();
        int[] groupOf = new int[n], firstRow = new int[n];
        // Open addressing on the rows' bit patterns; a slot holds a group id + 1.
        int[] table = new int[Integer.highestOneBit(Math.max(4, 2 * n)) << 1];
        int mask = table.length - 1, groups = 0;
        for (int i = 0; i < n; i++) {
            int slot = mix(hash(x, i * dim, dim)) & mask;
            while (true) {
                int g = table[slot] - 1;
                if (g < 0) {
                    table[slot] = groups + 1;
                    firstRow[groups] = i;
                    groupOf[i] = groups++;
                    break;
                }
                int f = firstRow[g];
                if (Arrays.equals(x, f * dim, f * dim + dim, x, i * dim, i * dim + dim)) {
                    groupOf[i] = g;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        int[] memberStart = new int[groups + 1];
        for (int g : groupOf) memberStart[g + 1]++;
        for (int g = 0; g < groups; g++) memberStart[g + 1] += memberStart[g];
        int[] members = new int[n], fill = Arrays.copyOf(memberStart, groups);
        for (int i = 0; i < n; i++) members[fill[groupOf[i]]++] = i;
        return new IdenticalRows(groupOf, memberStart, members);
    }

    private static int hash(float[] x, int off, int len) {
        int h = 1;
        for (int k = 0; k < len; k++) h = 31 * h + Float.floatToRawIntBits(x[off + k]);
        return h;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    public int groups() { return memberStart.length - 1; }

    public int groupOf(int row) { return groupOf[row]; }

    /** The lowest row of group g: the row whose features stand for the group. */
    public int firstRow(int g) { return members[memberStart[g]]; }

    public int size(int g) { return memberStart[g + 1] - memberStart[g]; }

    /** The t-th member of group g in ascending row order. */
    public int member(int g, int t) { return members[memberStart[g] + t]; }
}
