package dev.uvgl.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Histogram bins for cluster sizes: one per size while sizes are small,
 * else about 20 equal ranges, shared by every view so bars line up.
 */
final class SizeBins {
    private static final int MAX_BINS = 20;
    private final int lo, width, count;

    private SizeBins(int lo, int width, int count) {
        this.lo = lo;
        this.width = width;
        this.count = count;
    }

    static SizeBins covering(List<int[]> views) {
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int[] v : views) for (int s : v) { min = Math.min(min, s); max = Math.max(max, s); }
        int span = max - min + 1, width = (span + MAX_BINS - 1) / MAX_BINS;
        return new SizeBins(min, width, (span + width - 1) / width);
    }

    List<String> labels() {
        List<String> out = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            int a = lo + b * width, z = a + width - 1;
            out.add(width == 1 ? Integer.toString(a) : a + "-" + z);
        }
        return out;
    }

    List<Integer> counts(int[] sizes) {
        int[] c = new int[count];
        for (int s : sizes) c[(s - lo) / width]++;
        List<Integer> out = new ArrayList<>(count);
        for (int x : c) out.add(x);
        return out;
    }
}
