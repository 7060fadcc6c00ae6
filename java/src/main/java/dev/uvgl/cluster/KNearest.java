package dev.uvgl.cluster;

/** Exact k-nearest-neighbour search over L2-normalised rows; the CPU does it, a GPU kernel can slot in. */
public interface KNearest {
    /** x is n rows of d floats, unit length. Ties in distance go to the lower index. */
    Neighbours search(float[] x, int n, int d, int k);
}
