package dev.uvgl.data.pipeline;

import dev.uvgl.data.image.RgbImage;

import java.util.SplittableRandom;

/**
 * What a batch does to each decoded image before normalisation. It sees the batch number, so a schedule
 * (a colour jitter that ramps in over pretraining) can depend on the step; the random stream is the
 * image's own (BatchMaker derives it from the batch, position and view).
 */
public interface ViewTransform {
    /** Side of the square images it returns. */
    int size();

    RgbImage apply(RgbImage image, long batch, SplittableRandom rnd);
}
