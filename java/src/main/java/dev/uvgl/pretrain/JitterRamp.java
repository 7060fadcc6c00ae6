package dev.uvgl.pretrain;

/**
 * DMNIL's colour jitter (hue included) switched on gradually: from 0 at step 0 to its full strength at
 * `rampSteps`. Applied at full strength from the first step it stops the network from learning at all
 * (a probe measured the loss flat at chance for 600 steps), yet DMNIL's first losses need features that
 * ignore it.
 */
record JitterRamp(double full, int rampSteps) {
    double at(long step) {
        if (rampSteps <= 0) return full;
        return full * Math.min(1.0, (double) step / rampSteps);
    }
}
