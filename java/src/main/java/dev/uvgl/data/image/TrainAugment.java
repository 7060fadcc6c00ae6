package dev.uvgl.data.image;

import java.util.SplittableRandom;

/**
 * The training transform of dmnil.md section 1, for both views: ColorJitter(0.5, 0.5, 0.5, 0.5)
 * (factors drawn as torchvision draws them, the four ops in a random order), bilinear resize to
 * size x size, pad black, random size x size crop, horizontal flip with p = 0.5. The reference pads
 * 10 px at 384 px; the pad here is a pixel count the caller scales with the size ({@link #padFor}),
 * because 10 px at 64 px shifts the view six times as far as the reference does. The random
 * numbers come from the caller's stream (not torch's generator), so runs are reproducible per seed.
 */
public final class TrainAugment {
    public static final double JITTER = 0.5;
    /** The reference's pad, in pixels at its 384 px input. */
    public static final int PAD = 10;
    public static final int REFERENCE_SIZE = 384;

    private final int size;
    private final boolean rotate90;
    private final double jitter;
    private final int pad;

    public TrainAugment(int size) { this(size, false); }

    public TrainAugment(int size, boolean rotate90) { this(size, rotate90, JITTER); }

    public TrainAugment(int size, boolean rotate90, double jitter) { this(size, rotate90, jitter, PAD); }

    /** The pad at `size` px for a pad of `padAt384` px at the reference's 384 px: round(padAt384 * size / 384). */
    public static int padFor(int size, double padAt384) {
        if (!(padAt384 >= 0)) throw new IllegalArgumentException("crop pad " + padAt384 + " must be >= 0");
        return (int) Math.round(padAt384 * size / REFERENCE_SIZE);
    }

    /**
     * rotate90 adds a random quarter turn after the reference's transform (an engine option, off by
     * default): the draw comes last, so the reference's random sequence is unchanged when it is off.
     */
    public TrainAugment(int size, boolean rotate90, double jitter, int pad) {
        if (!(jitter >= 0 && jitter <= 0.5))
            throw new IllegalArgumentException("colour jitter " + jitter + " must lie in [0, 0.5]");
        if (pad < 0) throw new IllegalArgumentException("pad " + pad + " must be >= 0");
        this.size = size;
        this.rotate90 = rotate90;
        this.jitter = jitter;
        this.pad = pad;
    }

    public int pad() { return pad; }

    public double jitter() { return jitter; }

    public int size() { return size; }

    public RgbImage apply(RgbImage img, SplittableRandom rnd) {
        img = jitterColours(img, rnd);
        img = Resampler.resize(img, size, size, Resampler.Filter.BILINEAR);
        img = Geometry.pad(img, pad);
        img = Geometry.crop(img, rnd.nextInt(2 * pad + 1), rnd.nextInt(2 * pad + 1), size, size);
        img = rnd.nextDouble() < 0.5 ? Geometry.hflip(img) : img;
        return rotate90 ? Geometry.rotate90(img, rnd.nextInt(4)) : img;
    }

    /** ColorJitter at this strength: the four factors drawn, then the ops in a random order. */
    public RgbImage jitterColours(RgbImage img, SplittableRandom rnd) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // Drawn as uniform(lo, lo + width) so a zero width draws the same numbers (the stream stays aligned).
        double b = 1 - jitter + 2 * jitter * rnd.nextDouble(), c = 1 - jitter + 2 * jitter * rnd.nextDouble();
        double s = 1 - jitter + 2 * jitter * rnd.nextDouble(), h = -jitter + 2 * jitter * rnd.nextDouble();
        for (int op : order) {
            img = switch (op) {
                case 0 -> ColorOps.brightness(img, b);
                case 1 -> ColorOps.contrast(img, c);
                case 2 -> ColorOps.saturation(img, s);
                default -> ColorOps.hue(img, h);
            };
        }
        return img;
    }
}
