package dev.uvgl.util;

/**
 * Progress of long work (feature extraction, clustering, training steps, evaluation), reported by
 * the engine and shown by the command line: a bar on a terminal, plain periodic lines otherwise.
 * The engine's packages see only this interface.
 */
public interface Progress extends AutoCloseable {
    /** Advances by n units. */
    void step(long n);

    /** A short status shown beside the bar (e.g. the current loss). */
    default void status(String text) {}

    @Override void close();

    /** Starts a task of `total` units; the default factory reports nothing. */
    interface Factory { Progress start(String task, long total); }

    Factory NONE = (task, total) -> new Progress() {
        @Override public void step(long n) {}

        @Override public void close() {}
    };
}
