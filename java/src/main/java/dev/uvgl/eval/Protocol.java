package dev.uvgl.eval;

/**
 * Which gallery items are junk. STANDARD: only items labelled -1 (University-1652's original
 * protocol: distractors are ranked). REFERENCE: also every gallery id no query has, as the
 * Sample4Geo-derived code DMNIL publishes with (distractors dropped).
 */
public enum Protocol {
    STANDARD, REFERENCE;

    boolean[] junk(int[] queryIds, int[] galleryIds) {
        java.util.Set<Integer> asked = new java.util.HashSet<>();
        for (int q : queryIds) asked.add(q);
        boolean[] junk = new boolean[galleryIds.length];
        for (int g = 0; g < galleryIds.length; g++)
            junk[g] = galleryIds[g] == -1 || (this == REFERENCE && !asked.contains(galleryIds[g]));
        return junk;
    }
}
