package dev.uvgl.model;

import java.util.Arrays;
import java.util.List;

/** A ConvNeXt size: blocks per stage and channels per stage (dmnil.md section 2 and the table). */
public record ConvNeXtConfig(String name, int[] depths, int[] dims) {
    public static final double NORM_EPS = 1e-6;
    public static final double LAYER_SCALE_INIT = 1e-6;

    public static final ConvNeXtConfig ATTO = new ConvNeXtConfig("atto", new int[] {2, 2, 6, 2},
            new int[] {40, 80, 160, 320});
    public static final ConvNeXtConfig FEMTO = new ConvNeXtConfig("femto", new int[] {2, 2, 6, 2},
            new int[] {48, 96, 192, 384});
    public static final ConvNeXtConfig PICO = new ConvNeXtConfig("pico", new int[] {2, 2, 6, 2},
            new int[] {64, 128, 256, 512});
    public static final ConvNeXtConfig NANO = new ConvNeXtConfig("nano", new int[] {2, 2, 8, 2},
            new int[] {80, 160, 320, 640});
    public static final ConvNeXtConfig TINY = new ConvNeXtConfig("tiny", new int[] {3, 3, 9, 3},
            new int[] {96, 192, 384, 768});
    public static final ConvNeXtConfig SMALL = new ConvNeXtConfig("small", new int[] {3, 3, 27, 3},
            new int[] {96, 192, 384, 768});

    public static final List<ConvNeXtConfig> NAMED = List.of(ATTO, FEMTO, PICO, NANO, TINY, SMALL);

    public ConvNeXtConfig {
        if (depths.length != 4 || dims.length != 4)
            throw new IllegalArgumentException("ConvNeXt has 4 stages, got depths " + Arrays.toString(depths) + " dims "
                    + Arrays.toString(dims));
        for (int i = 0; i < 4; i++)
            if (depths[i] < 1 || dims[i] < 1)
                throw new IllegalArgumentException("ConvNeXt stage " + i + " needs depth and dim >= 1, got " + depths[i]
                        + ", " + dims[i]);
        depths = depths.clone();
        dims = dims.clone();
    }

    public static ConvNeXtConfig named(String name) {
        for (ConvNeXtConfig c : NAMED) if (c.name.equalsIgnoreCase(name)) return c;
        throw new IllegalArgumentException("unknown ConvNeXt size '" + name + "'; known: "
                + NAMED.stream().map(ConvNeXtConfig::name).toList());
    }

    /** The named size with these depths and dims, else a config called "custom". */
    public static ConvNeXtConfig of(int[] depths, int[] dims) {
        for (ConvNeXtConfig c : NAMED) if (Arrays.equals(c.depths, depths) && Arrays.equals(c.dims, dims)) return c;
        return new ConvNeXtConfig("custom", depths, dims);
    }

    @Override public int[] depths() { return depths.clone(); }

    @Override public int[] dims() { return dims.clone(); }

    public int embeddingDim() { return dims[3]; }

    @Override public boolean equals(Object o) {
        return o instanceof ConvNeXtConfig c && Arrays.equals(depths, c.depths) && Arrays.equals(dims, c.dims);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(depths) + Arrays.hashCode(dims); }

    @Override public String toString() {
        return name + " (depths " + Arrays.toString(depths) + ", dims " + Arrays.toString(dims) + ")";
    }
}
