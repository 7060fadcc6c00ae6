package dev.uvgl.backend.cuda;

import dev.uvgl.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A permutation reduced to what the kernel needs: size-1 axes dropped and output axes that read adjacent
 * input axes in order merged, so NHWC <-> NCHW is a 3-axis [N, HW, C] -> [N, C, HW] and a no-op permute is
 * one axis. dims/strides are the output dimensions (innermost last) and the input stride of each,
 * left-padded with (1, 0) to MAX_RANK, the kernel's argument count.
 */
public record PermutePlan(int[] dims, int[] strides, int rank) {
    static final int MAX_RANK = 6;

    public boolean fitsOneLaunch() { return rank <= MAX_RANK; }

    /** Output axis i reads input axis axes[i] of x. */
    public static PermutePlan of(Shape x, int[] axes) {
        int[] inStrides = x.strides();
        List<int[]> kept = new ArrayList<>();  // {dim, inputAxis} in output order, size-1 axes dropped
        for (int a : axes) if (x.dim(a) != 1) kept.add(new int[] {x.dim(a), a});
        // Renumber the remaining input axes densely: adjacent numbers are then adjacent in memory.
        int[] dense = new int[x.rank()];
        for (int a = 0, next = 0; a < x.rank(); a++) dense[a] = x.dim(a) == 1 ? -1 : next++;
        List<long[]> merged = new ArrayList<>();  // {dim, stride, lastDenseAxis}
        for (int[] k : kept) {
            long[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && dense[k[1]] == prev[2] + 1) {
                prev[0] *= k[0];
                prev[1] = inStrides[k[1]];
                prev[2] = dense[k[1]];
            } else {
                merged.add(new long[] {k[0], inStrides[k[1]], dense[k[1]]});
            }
        }
        int rank = merged.size();
        int[] dims = new int[Math.max(MAX_RANK, rank)], strides = new int[dims.length];
        Arrays.fill(dims, 1);
        int pad = dims.length - rank;
        for (int i = 0; i < rank; i++) {
            dims[pad + i] = (int) merged.get(i)[0];
            strides[pad + i] = (int) merged.get(i)[1];
        }
        return new PermutePlan(dims, strides, rank);
    }
}
