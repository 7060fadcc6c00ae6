package dev.uvgl.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line in a JVM of its own, on the test class path (the jar is built after the tests): for runs
 * that must own the process-wide emulated device, and for scripts that call the engine as a command.
 */
public final class EngineProcess {
    private EngineProcess() {}

    /** `java -cp <test class path> dev.uvgl.cli.Main`, as words. */
    public static List<String> command() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ArrayList<>(List.of(java.toString(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "dev.uvgl.cli.Main"));
    }

    public record Result(int code, String output) {}

    /** Runs a command with extra environment, stdout and stderr together, killed after `minutes`. */
    public static Result run(List<String> cmd, Map<String, String> env, Path dir, int minutes) throws IOException,
            InterruptedException {
        return run(cmd, env, dir, minutes, false);
    }

    /** As run, with only `env` in the environment: a machine that has nothing this one has set up. */
    public static Result runInEmptyEnvironment(List<String> cmd, Map<String, String> env, Path dir, int minutes)
            throws IOException, InterruptedException {
        return run(cmd, env, dir, minutes, true);
    }

    private static Result run(List<String> cmd, Map<String, String> env, Path dir, int minutes, boolean empty)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("uvgl-process", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (dir != null) pb.directory(dir.toFile());
        if (empty) pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(killed after " + minutes
                    + " minutes)");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), out);
    }
}
