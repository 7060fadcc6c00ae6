package dev.uvgl.data.pipeline;

/**
 * One training batch ready for the model: NHWC ImageNet-normalised floats for `views` views of
 * each sampled row, view-major (all rows' first view, then all rows' second view), as the
 * reference concatenates its two satellite views.
 */
public record Batch(long number, int[] rows, int views, int size, float[] data) {
    public int images() { return rows.length * views; }
}
