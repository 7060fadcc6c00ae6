package dev.uvgl.data.synth;

import java.util.SplittableRandom;

/**
 * Independent random streams keyed by (seed, purpose, index...): each image draws from its own
 * stream, so the world is the same whatever order or thread renders it.
 */
public final class Streams {
    private Streams() {}

    public static SplittableRandom of(long seed, long... keys) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) h = mix(h ^ mix(k + 0x632BE59BD9B4E019L));
        return new SplittableRandom(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
