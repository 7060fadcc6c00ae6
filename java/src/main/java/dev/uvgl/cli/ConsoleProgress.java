package dev.uvgl.cli;

import dev.uvgl.util.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The command line's Progress: a progress bar on stderr when it is a terminal, else a plain line
 * at most every 10 seconds (and at the end), so logs in CI and files stay readable.
 */
public final class ConsoleProgress {
    private ConsoleProgress() {}

    public static Progress.Factory factory() {
        return System.console() != null ? ConsoleProgress::bar : ConsoleProgress::lines;
    }

    private static Progress bar(String task, long total) {
        ProgressBar pb = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).continuousUpdate().build();
        return new Progress() {
            @Override public void step(long n) { pb.stepBy(n); }

            @Override public void status(String text) { pb.setExtraMessage(text); }

            @Override public void close() { pb.close(); }
        };
    }

    private static Progress lines(String task, long total) {
        long start = System.nanoTime();
        return new Progress() {
            long done, lastPrint = start;
            String extra = "";

            @Override public synchronized void step(long n) {
                done += n;
                long now = System.nanoTime();
                if (now - lastPrint > 10_000_000_000L) { print(now); lastPrint = now; }
            }

            @Override public synchronized void status(String text) { extra = text; }

            @Override public synchronized void close() { print(System.nanoTime()); }

            private void print(long now) {
                System.err.printf("%s: %d/%d (%.0f s)%s%n", task, done, total, (now - start) / 1e9,
                        extra.isEmpty() ? "" : " " + extra);
            }
        };
    }
}
