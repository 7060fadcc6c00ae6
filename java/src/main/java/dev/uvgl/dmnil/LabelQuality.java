package dev.uvgl.dmnil;

import dev.uvgl.cluster.LabelAgreement;

import java.util.HashMap;
import java.util.Map;

/**
 * How well pseudo labels match the hidden folder ids: logged each epoch, never used by training.
 * Purity = the share of clustered rows whose folder is their cluster's most common one; the
 * adjusted Rand index is taken over clustered rows (outliers left out, since -1 is not a cluster).
 */
public record LabelQuality(double purity, double adjustedRand) {
    public static LabelQuality of(int[] labels, int[] folders) {
        Map<Integer, Map<Integer, Integer>> counts = new HashMap<>();
        int clustered = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) continue;
            clustered++;
            counts.computeIfAbsent(labels[i], k -> new HashMap<>()).merge(folders[i], 1, Integer::sum);
        }
        if (clustered == 0) return new LabelQuality(Double.NaN, Double.NaN);
        int majority = 0;
        for (Map<Integer, Integer> c : counts.values())
            majority += c.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int[] a = new int[clustered], b = new int[clustered];
        for (int i = 0, k = 0; i < labels.length; i++) if (labels[i] >= 0) { a[k] = labels[i]; b[k++] = folders[i]; }
        return new LabelQuality((double) majority / clustered, LabelAgreement.adjustedRand(a, b));
    }
}
