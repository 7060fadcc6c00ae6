package dev.uvgl.model.weights;

import java.io.IOException;

/** A weight or checkpoint file that cannot be used; the message names the problem and the fix. */
public final class WeightFileException extends IOException {
    public WeightFileException(String message) { super(message); }
}
