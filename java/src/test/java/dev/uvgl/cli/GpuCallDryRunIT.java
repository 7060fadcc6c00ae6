package dev.uvgl.cli;

import dev.uvgl.testing.EngineProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU call as a bare machine receives it (after `package`: it needs target/engine.jar): bench/pack-gpu.sh packs,
 * the working tree and .device/ are copied to a fresh folder, and `OUT=... bash bench/gpu-validate.sh` runs there
 * with an empty environment and a PATH that reaches no Java. Unpacking, the synthetic worlds, the CPU training, the
 * report, the log archive and the summary table must work; every GPU section must fail fast with one clear line.
 */
class GpuCallDryRunIT {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final List<String> OFF_THE_GPU = List.of("world", "tiny-world", "train-cpu");
    static final Pattern ROW = Pattern.compile("(?m)^([a-z0-9-]+) +(\\d+)s  (PASS|FAIL|SKIPPED)(.*)$");
    @TempDir Path tmp;

    @Test void theCallRunsFromThePackWithNoJavaOnTheMachine() throws Exception {
        EngineProcess.Result pack = EngineProcess.run(List.of("bash", "bench/pack-gpu.sh", "java/target/engine.jar"),
                Map.of(), REPO, 15);
        assertEquals(0, pack.code(), pack.output());
        assertTrue(pack.output().contains("MiB of the 64 MiB a call carries"), pack.output());

        Path machine = tmp.resolve("machine"), out = tmp.resolve("out");
        copyWhatTravels(machine);
        Path bin = pathWithoutJava(tmp.resolve("bin"));
        EngineProcess.Result r = EngineProcess.runInEmptyEnvironment(List.of("/bin/bash", "bench/gpu-validate.sh"),
                Map.of("OUT", out.toString(), "PATH", bin.toString(), "HOME", tmp.toString()), machine, 20);
        String output = r.output();
        assertEquals(1, r.code(), "the GPU sections fail on a machine without one:\n" + output);
        Matcher m = ROW.matcher(output);
        int rows = 0;
        while (m.find()) {
            rows++;
            String section = m.group(1), verdict = m.group(3) + m.group(4);
            if (OFF_THE_GPU.contains(section)) assertEquals("PASS", verdict, section + ":\n" + output);
            else if (!section.equals("torch-matmul")) {
                assertTrue(verdict.startsWith("FAIL") && verdict.matches(".*(no CUDA driver|compute-sanitizer is "
                        + "not on the PATH|needs the).*"), section + " fails with its reason:\n" + output);
                assertTrue(Integer.parseInt(m.group(2)) <= 20, section + " fails fast:\n" + output);
            }
        }
        assertEquals(19, rows, "one row per section:\n" + output);
        assertTrue(output.contains("GPU validation (cuda, full, commit "), output);
        assertTrue(!output.contains("commit unknown"), "the pack names its commit:\n" + output);
        assertTrue(output.strip().endsWith("report: " + out.resolve("gpu-validate.md") + ", logs: "
                + out.resolve("gpu-validate-logs.tar.gz")), output);
        String report = Files.readString(out.resolve("gpu-validate.md"));
        assertTrue(report.contains("| train-cpu | PASS |"), report);
        EngineProcess.Result listing = EngineProcess.run(List.of("tar", "-tzf",
                out.resolve("gpu-validate-logs.tar.gz").toString()), Map.of(), tmp, 1);
        assertTrue(listing.output().contains("logs/train-cpu.log") && listing.output().contains("logs/cpu-metrics.jsonl"),
                listing.output());
    }

    /** What the device tool carries: tracked and untracked-not-ignored files, and .device/ named in carry. */
    static void copyWhatTravels(Path machine) throws Exception {
        EngineProcess.Result files = EngineProcess.run(List.of("git", "ls-files", "-co", "--exclude-standard"),
                Map.of(), REPO, 1);
        assertEquals(0, files.code(), files.output());
        List<String> paths = new ArrayList<>(files.output().lines().toList());
        try (var device = Files.list(REPO.resolve(".device"))) {
            device.forEach(p -> paths.add(REPO.relativize(p).toString()));
        }
        for (String p : paths) {
            Path from = REPO.resolve(p);
            if (!Files.isRegularFile(from)) continue;
            Path to = machine.resolve(p);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Links to every program on the usual PATH except those of a JDK: the GPU machine has no Java. */
    static Path pathWithoutJava(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) continue;
            try (var programs = Files.list(d)) {
                for (Path p : programs.toList()) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.isExecutable(p)) continue;
                    if (p.toRealPath().toString().contains("/jvm/")) continue;
                    Files.createSymbolicLink(link, p.toRealPath());
                }
            }
        }
        assertTrue(!Files.exists(bin.resolve("java")), "java is still reachable");
        return bin;
    }
}
