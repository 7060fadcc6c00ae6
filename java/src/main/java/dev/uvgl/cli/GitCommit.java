package dev.uvgl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The commit of the checkout a command runs in (`git describe --always --dirty`), for the records a run leaves. */
final class GitCommit {
    private GitCommit() {}

    static String describe() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty() || out.contains(" "))
                return "unknown (not run in a git checkout)";
            return out;
        } catch (IOException e) {
            return "unknown (git not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
