package dev.uvgl.dmnil;

import java.util.HashMap;
import java.util.Map;

/**
 * The place folder ids as labels, one space for both views (labels=true, the supervised upper bound):
 * a drone photo and the tile of its place share a label. Ids are dense over the places that have drone
 * photos, in the order they first appear; a satellite tile whose place has no drone photo gets -1 (its
 * rows never train), so every label has drone members and the shared memory's centroids are defined.
 * Only labels=true reads these; DMNIL's own runs never let a folder id reach a loss.
 */
record TrueLabels(int[] drone, int[] satellite) {
    static TrueLabels of(ViewRows drone, ViewRows satellite) {
        Map<String, Integer> ids = new HashMap<>();
        int[] d = new int[drone.rows()], s = new int[satellite.rows()];
        for (int r = 0; r < d.length; r++) d[r] = ids.computeIfAbsent(drone.placeOf(r), k -> ids.size());
        for (int r = 0; r < s.length; r++) s[r] = ids.getOrDefault(satellite.placeOf(r), -1);
        return new TrueLabels(d, s);
    }
}
