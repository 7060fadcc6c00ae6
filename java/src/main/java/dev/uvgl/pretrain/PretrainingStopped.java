package dev.uvgl.pretrain;

/** Pretraining cannot go on (a NaN loss); the message names the step, the last good checkpoint and the fix. */
public final class PretrainingStopped extends RuntimeException {
    public PretrainingStopped(String message) { super(message); }
}
