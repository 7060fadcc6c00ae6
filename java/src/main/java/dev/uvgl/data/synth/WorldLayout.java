package dev.uvgl.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the places are: one per cell of a jittered grid (cells far enough apart that two places'
 * tiles barely overlap), cells handed out in a random order to train, test and distractor places,
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
        int cols = (int) Math.ceil(Math.sqrt(total));
        side = 2 * MARGIN + cols * SPACING;
        SplittableRandom rnd = Streams.of(seed, 1);
        int[] cells = new int[cols * cols];
        for (int i = 0; i < cells.length; i++) cells[i] = i;
        for (int i = cells.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = cells[i];
            cells[i] = cells[j];
            cells[j] = t;
        }
        places = new ArrayList<>(total);
        for (int k = 0; k < total; k++) {
            int cell = cells[k];
            double x = MARGIN + (cell % cols + 0.5) * SPACING + rnd.nextDouble(-0.2, 0.2) * SPACING;
            double y = MARGIN + (cell / cols + 0.5) * SPACING + rnd.nextDouble(-0.2, 0.2) * SPACING;
            Role role = k < trainPlaces ? Role.TRAIN : (k < trainPlaces + testPlaces ? Role.TEST : Role.DISTRACTOR);
            places.add(new Place(String.format("%04d", k + 1), role, x, y));
        }
    }

    public List<Place> places() { return places; }

    public double sideMetres() { return side; }
}
