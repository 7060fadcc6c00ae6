package dev.uvgl.data.pipeline;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PkSamplerTest {
    /** 30 identities of 6 members, one of 2 members (1 other), one singleton, and 10 outliers. */
    private static int[] labels() {
        int[] l = new int[30 * 6 + 2 + 1 + 10];
        int k = 0;
        for (int id = 0; id < 30; id++) for (int m = 0; m < 6; m++) l[k++] = id;
        l[k++] = 40;
        l[k++] = 40;
        l[k++] = 50;
        while (k < l.length) l[k++] = -1;
        return l;
    }

    @Test void passFollowsTheReferenceRulesPerIdentity() {
        int[] labels = labels();
        int[] pass = new PkSampler(labels, 4, 64, 3).newPass();
        assertEquals(30 * 4 + 4 + 1, pass.length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < pass.length; ) {
            int id = labels[pass[i]];
            assertTrue(id != -1, "outlier sampled");
            assertTrue(seen.add(id), "identity " + id + " visited twice in one pass");
            int group = id == 50 ? 1 : 4;
            for (int j = 0; j < group; j++) assertEquals(id, labels[pass[i + j]], "group of " + id + " is broken");
            if (id < 30)
                assertEquals(4, java.util.Arrays.stream(pass, i, i + 4).distinct().count(),
                        "without replacement: 4 distinct members");
            if (id == 40) {
                assertFalse(pass[i] == pass[i + 1], "the 3 picks come from the OTHER member");
                assertTrue(pass[i + 1] == pass[i + 2] && pass[i + 2] == pass[i + 3],
                        "with replacement from the one other member");
            }
            i += group;
        }
        assertEquals(32, seen.size());
    }

    @Test void batchesAreFullDeterministicAndEpochHasItersBatches() {
        List<int[]> a = new PkSampler(labels(), 4, 64, 9).epoch(400), b = new PkSampler(labels(), 4, 64, 9).epoch(400);
        assertEquals(400, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(64, a.get(i).length);
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertFalse(java.util.Arrays.equals(a.get(0), new PkSampler(labels(), 4, 64, 10).next()));
    }

    @Test void partialLastBatchIsDroppedAndANewPassStarts() {
        // 125 samples per pass, batches of 64: each pass gives one batch, its 61 leftovers dropped.
        PkSampler s = new PkSampler(labels(), 4, 64, 5);
        PkSampler twin = new PkSampler(labels(), 4, 64, 5);
        int[] firstPass = twin.newPass(), secondPass = twin.newPass();
        assertArrayEquals(java.util.Arrays.copyOf(firstPass, 64), s.next());
        assertArrayEquals(java.util.Arrays.copyOf(secondPass, 64), s.next());
    }

    @Test void allOutliersIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> new PkSampler(new int[] {-1, -1}, 4, 64, 1));
    }

    @Test void satelliteRowsReplicateVirtually() {
        SatelliteRows r = new SatelliteRows(3, 49);
        assertEquals(147, r.rows());
        assertEquals(0, r.tileOf(48));
        assertEquals(1, r.tileOf(49));
        assertEquals(2, r.tileOf(146));
        assertThrows(IndexOutOfBoundsException.class, () -> r.tileOf(147));
    }
}
