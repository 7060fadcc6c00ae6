package dev.uvgl.backend;

import dev.uvgl.tensor.Tensor;

/** The k largest entries of each row, in descending order (ties: the lower index first), and where they were. */
public record TopK(Tensor values, int[] indices, int k) {
}
