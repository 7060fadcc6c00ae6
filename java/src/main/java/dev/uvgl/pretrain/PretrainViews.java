package dev.uvgl.pretrain;

import dev.uvgl.data.image.Resampler;
import dev.uvgl.data.image.RgbImage;
import dev.uvgl.data.image.TrainAugment;
import dev.uvgl.data.pipeline.ViewTransform;
import dev.uvgl.data.synth.TileCamera;

import java.util.SplittableRandom;

/**
 * The views pretraining learns from. Drone photos get DMNIL's own train transform (colour jitter on its
 * ramp, scaled pad and crop, flip), so DMNIL later starts from features that ignore it. Tiles first pass
 * through the tile camera (oblique drone-like views and turned, zoomed nadir ones), rendered at the
 * training size, then the same transform. Both are resized before the jitter (DMNIL jitters first): the
 * colour ops then touch a quarter of the pixels, and pretraining's throughput is bound by this pipeline
 * on a 2-core machine. `firstStep` is the step of batch 0 of the prefetcher this transform serves.
 */
final class PretrainViews implements ViewTransform {
    private final int size, pad;
    private final JitterRamp ramp;
    private final long firstStep;
    private final TileCamera camera;
    private final double tileSpan;

    private PretrainViews(int size, int pad, JitterRamp ramp, long firstStep, TileCamera camera, double tileSpan) {
        this.size = size;
        this.pad = pad;
        this.ramp = ramp;
        this.firstStep = firstStep;
        this.camera = camera;
        this.tileSpan = tileSpan;
    }

    static PretrainViews drone(PretrainConfig cfg, long firstStep) {
        return new PretrainViews(cfg.size, TrainAugment.padFor(cfg.size, cfg.cropPad), ramp(cfg), firstStep, null, 0);
    }

    static PretrainViews tile(PretrainConfig cfg, long firstStep) {
        return new PretrainViews(cfg.size, TrainAugment.padFor(cfg.size, cfg.cropPad), ramp(cfg), firstStep,
                new TileCamera(cfg.viewSpan, cfg.obliqueShare), cfg.sourceTileSpan);
    }

    private static JitterRamp ramp(PretrainConfig cfg) { return new JitterRamp(cfg.colorJitter, cfg.jitterRampSteps); }

    @Override public int size() { return size; }

    @Override public RgbImage apply(RgbImage image, long batch, SplittableRandom rnd) {
        RgbImage view = camera == null ? Resampler.resize(image, size, size, Resampler.Filter.BILINEAR) : camera.view(image, tileSpan, size, rnd);
        return new TrainAugment(size, false, ramp.at(firstStep + batch), pad).apply(view, rnd);
    }
}
