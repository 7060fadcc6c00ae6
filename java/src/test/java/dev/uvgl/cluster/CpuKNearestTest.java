package dev.uvgl.cluster;

import dev.uvgl.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CpuKNearestTest {
    @Test void copiesTieExactlyAndTheLowerIndexComesFirst() {
        int distinct = 5, copies = 10, d = 16, n = distinct * copies, k = 12;
        Random rng = new Random(3);
        float[][] base = new float[distinct][d];
        for (float[] b : base) for (int t = 0; t < d; t++) b[t] = (float) rng.nextGaussian();
        List<Integer> owner = new ArrayList<>();
        for (int u = 0; u < distinct; u++) for (int c = 0; c < copies; c++) owner.add(u);
        Collections.shuffle(owner, rng);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(base[owner.get(i)], 0, x, i * d, d);
        float[] u = Clustering.normalised(x, n, d);
        Neighbours nb = new CpuKNearest(CpuBackend.INSTANCE).search(u, n, d, k);
        for (int i = 0; i < n; i++) {
            // every copy of i's own row (distance 0 to all of them, bitwise equal) in ascending index order ...
            int[] own = new int[copies];
            for (int j = 0, c = 0; j < n; j++) if (owner.get(j).equals(owner.get(i))) own[c++] = j;
            int[] got = new int[copies];
            for (int r = 0; r < copies; r++) got[r] = nb.at(i, r);
            assertArrayEquals(own, got, "row " + i);
            // ... then the two lowest-indexed copies of one other row, at one distance
            int a = nb.at(i, copies), b = nb.at(i, copies + 1);
            assertEquals(owner.get(a), owner.get(b));
            assertEquals(nb.dist()[i * k + copies], nb.dist()[i * k + copies + 1]);
            for (int j = 0; j < b; j++) if (j != a && owner.get(j).equals(owner.get(a))) throw new AssertionError("row " + i + ": copy " + j + " of the neighbour precedes " + b);
        }
    }

    @Test void kOutsideRangeIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new CpuKNearest(CpuBackend.INSTANCE).search(new float[] {1, 0}, 1, 2, 2));
    }
}
