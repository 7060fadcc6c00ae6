package dev.uvgl.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the places are: one per cell of a jittered grid (cells far enough apart that two places'
 * tiles barely overlap), the more built-up cells preferred, handed out in a random order to train,
 * test and distractor places,
 * so the three sets are disjoint and folder ids say nothing about position. A margin around the
 * grid gives the oblique views ground to look at out to the haze.
 */
public final class WorldLayout {
    static final double SPACING = 170, MARGIN = 420;

    public enum Role { TRAIN, TEST, DISTRACTOR }

    public record Place(String id, Role role, double x, double y) {}

    private final List<Place> places;
    private final double side;

    WorldLayout(int trainPlaces, int testPlaces, int distractors, long seed) {
        int total = trainPlaces + testPlaces + distractors;
        // Half again as many cells as places, so places can favour
        // built-up ground (University-1652's places are buildings).
        int cols = (int) Math.ceil(Math.sqrt(total * 1.5));
        side = 2 * MARGIN + cols * SPACING;
        SplittableRandom rnd = Streams.of(seed, 1);
        int n = cols * cols;
        double[] x = new double[n], y = new double[n], score = new double[n];
        Integer[] cells = new Integer[n];
        for (int i = 0; i < n; i++) {
            cells[i] = i;
            x[i] = MARGIN + (i % cols + 0.5) * SPACING + rnd.nextDouble(-0.2, 0.2) * SPACING;
            y[i] = MARGIN + (i / cols + 0.5) * SPACING + rnd.nextDouble(-0.2, 0.2) * SPACING;
            score[i] = MapPainter.urbanness(seed, side, x[i], y[i]) + rnd.nextDouble(0, 0.12);
        }
        java.util.Arrays.sort(cells, (a, b) -> Double.compare(score[b], score[a]));
        int[] chosen = new int[total];
        for (int i = 0; i < total; i++) chosen[i] = cells[i];
        // roles by a shuffle, so train, test and distractors mix town and country alike
        for (int i = total - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = chosen[i];
            chosen[i] = chosen[j];
            chosen[j] = t;
        }
        places = new ArrayList<>(total);
        for (int k = 0; k < total; k++) {
            Role role = k < trainPlaces ? Role.TRAIN : (k < trainPlaces + testPlaces ? Role.TEST : Role.DISTRACTOR);
            places.add(new Place(String.format("%04d", k + 1), role, x[chosen[k]], y[chosen[k]]));
        }
    }

    public List<Place> places() { return places; }

    public double sideMetres() { return side; }
}
