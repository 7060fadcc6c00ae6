package dev.uvgl.autograd;

/** Whether ops record themselves for backward on this thread. `try (var s = GradMode.noGrad()) { ... }`. */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {}

    public static boolean enabled() { return ENABLED.get(); }

    /** Disables recording until the returned scope closes, then restores what was there before. */
    public static Scope noGrad() { return set(false); }

    public static Scope enableGrad() { return set(true); }

    private static Scope set(boolean on) {
        boolean before = ENABLED.get();
        ENABLED.set(on);
        return () -> ENABLED.set(before);
    }

    /** A scope whose close cannot throw. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
