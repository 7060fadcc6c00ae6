package dev.uvgl.data.synth;

/**
 * Size of a synthetic world. `places` train places and as many test places, plus a quarter as many
 * distractor places (tiles and drone views whose ids no query has). Tiles cover `tileSpanMetres`.
 */
public record SynthOptions(int places, int dronesPerPlace, int size, long seed, double metresPerPixel,
        double tileSpanMetres) {
    public static final int DEFAULT_PLACES = 80, DEFAULT_DRONES = 16, DEFAULT_SIZE = 128;
    public static final long DEFAULT_SEED = 1652;

    public static final double DEFAULT_TILE_SPAN = 150;

    public SynthOptions(int places, int dronesPerPlace, int size, long seed) {
        this(places, dronesPerPlace, size, seed, 0.5, DEFAULT_TILE_SPAN);
    }

    public int distractors() { return Math.max(1, (places + 3) / 4); }

    /** Why these options cannot make a world, or null when they can. */
    public String problem() {
        if (places < 1) return "--places must be at least 1 (got " + places + ")";
        if (places > 3000) return "--places must be at most 3000 (got " + places + "); the map would not fit in memory";
        if (dronesPerPlace < 8 || dronesPerPlace > 54)
            return "--drones-per-place must be between 8 and 54, as in University-1652 (got " + dronesPerPlace + ")";
        if (!(tileSpanMetres >= 50 && tileSpanMetres <= 600))
            return "--tile-span must be between 50 and 600 metres (got " + tileSpanMetres + ")";
        if (size < 16 || size > 1024) return "--size must be between 16 and 1024 pixels (got " + size + ")";
        return null;
    }
}
