package dev.uvgl.cluster;

/** Input that clustering cannot work on (names the problem and the fix); the command line turns it into exit code 2. */
public final class BadInput extends IllegalArgumentException {
    public BadInput(String message) { super(message); }
}
