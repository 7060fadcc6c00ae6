package dev.uvgl.cli;

/** Bad input from the user: printed as one line (problem and fix) with exit code 2, no stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
}
