package dev.uvgl.data;

/** A dataset folder that cannot be read as asked: the message names the problem and the layout expected. */
public final class DatasetError extends RuntimeException {
    public DatasetError(String message) { super(message); }
}
