package dev.uvgl.model.weights;

import java.util.Arrays;

/** A float32 array and its shape, held on the host between a file and a tensor. */
public record HostArray(int[] shape, float[] data) {
    public HostArray {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + data.length);
    }

    public String shapeString() { return Arrays.toString(shape); }

    /** True when the shapes agree once size-1 dimensions are dropped ([C,1,1] vs [C], [O,I,1,1] vs [O,I]). */
    public static boolean sameUpToOnes(int[] a, int[] b) {
        return Arrays.equals(Arrays.stream(a).filter(d -> d != 1).toArray(),
                Arrays.stream(b).filter(d -> d != 1).toArray());
    }
}
