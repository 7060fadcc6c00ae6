package dev.uvgl.pretrain;

import dev.uvgl.data.image.Resampler;
import dev.uvgl.data.image.RgbImage;
import dev.uvgl.data.image.TrainAugment;
import dev.uvgl.data.pipeline.ViewTransform;
import dev.uvgl.data.synth.TileCamera;

import java.util.SplittableRandom;

/**
 * The views pretraining learns from, at the ramp's strength. Drone photos get DMNIL's own train transform
 * (colour jitter, scaled pad and crop, flip), so DMNIL later starts from features that ignore it. Tiles first pass
 * through the tile camera (oblique drone-like views and turned, zoomed nadir ones), rendered at the
 * training size, then the same transform. Both are resized before the jitter (DMNIL jitters first): the
 * colour ops then touch a quarter of the pixels, and pretraining's throughput is bound by this pipeline
 * on a 2-core machine. `firstStep` is the step of batch 0 of the prefetcher this transform serves.
 */
final class PretrainViews implements ViewTransform {
    private final int size, pad;
    private final AugmentRamp ramp;
    private final double jitter;
    private final long firstStep;
    private final TileCamera camera;
    private final double tileSpan;

    private PretrainViews(int size, int pad, AugmentRamp ramp, double jitter, long firstStep, TileCamera camera,
            double tileSpan) {
        this.size = size;
        this.pad = pad;
        this.ramp = ramp;
        this.jitter = jitter;
        this.firstStep = firstStep;
        this.camera = camera;
        this.tileSpan = tileSpan;
    }

    static PretrainViews drone(PretrainConfig cfg, long firstStep) {
        return new PretrainViews(cfg.size, TrainAugment.padFor(cfg.size, cfg.cropPad), ramp(cfg), cfg.colorJitter,
                firstStep, null, 0);
    }

    static PretrainViews tile(PretrainConfig cfg, long firstStep) {
        return new PretrainViews(cfg.size, TrainAugment.padFor(cfg.size, cfg.cropPad), ramp(cfg),
                cfg.colorJitter, firstStep,
                new TileCamera(cfg.viewSpan, cfg.obliqueShare), cfg.sourceTileSpan);
    }

    private static AugmentRamp ramp(PretrainConfig cfg) {
        return new AugmentRamp(cfg.augmentRampSteps, cfg.augmentMax);
    }

    @Override public int size() { return size; }

    @Override public RgbImage apply(RgbImage image, long batch, SplittableRandom rnd) {
        double strength = ramp.strength(firstStep + batch);
        RgbImage view = camera == null ? Resampler.resize(image, size, size, Resampler.Filter.BILINEAR)
                : camera.view(image, tileSpan, size, rnd, strength);
        return new TrainAugment(size, false, jitter * strength, pad).apply(view, rnd);
    }
}
