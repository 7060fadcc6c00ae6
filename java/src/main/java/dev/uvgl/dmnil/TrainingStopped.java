package dev.uvgl.dmnil;

/** Training cannot go on (NaN loss, no usable cluster); the message is the one line a user sees. */
public final class TrainingStopped extends RuntimeException {
    public TrainingStopped(String message) { super(message); }
}
