package dev.uvgl.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.cluster.JaccardDbscan;
import dev.uvgl.util.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dense N x N reference (dense_kreciprocal.py, shipped in the jar) run as a Python subprocess,
 * for benchmarks side by side with the engine.
 */
public final class DenseReference {
    public static final String SCRIPT = "dense_kreciprocal.py";

    private final String python;

    public DenseReference(String python) { this.python = python; }

    /** Labels and the script's own figures: its compute time and its peak resident memory. */
    public record Run(int[] labels, double seconds, double peakRssMb, double wallSeconds) {}

    /** Null when the reference can run here, else why not. */
    public String unavailableReason() {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy, sklearn").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) return python + " did not answer within 60 s";
            return p.exitValue() == 0 ? null
                    : python + " lacks numpy or scikit-learn (" + out.lines().reduce((x, y) -> y).orElse("") + ")";
        } catch (IOException e) {
            return "no " + python + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Bytes the dense reference holds at its peak: two N x N float32
     * matrices (V and its expansion, then V and the distance).
     */
    public static double memoryNeedBytes(long n) { return 2.0 * 4 * n * n; }

    public Run run(float[] features, int n, int dim, JaccardDbscan.Settings s,
            Path work) throws IOException, InterruptedException {
        Path script = work.resolve(SCRIPT), in = work.resolve("features.npy"), out = work.resolve("labels.npy");
        try (InputStream src = DenseReference.class.getResourceAsStream("/dev/uvgl/cluster/" + SCRIPT)) {
            if (src == null) throw new IOException(SCRIPT + " is missing from the jar");
            Files.write(script, src.readAllBytes());
        }
        Npy.writeFloats(in, features, n, dim);
        List<String> cmd = List.of(python, script.toString(), "--features", in.toString(), "--out", out.toString(),
                "--k1", "" + s.k1(), "--k2", "" + s.k2(), "--eps", "" + s.eps(), "--min-samples", "" + s.minSamples(),
                "--dtype", "float32");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (code != 0) throw new IOException("the dense reference exited with " + code);
        JsonNode j = new ObjectMapper().readTree(stdout.strip().lines().reduce((x, y) -> y).orElse("{}"));
        long[] labels = Npy.readLongs(out);
        int[] l = new int[labels.length];
        for (int i = 0; i < l.length; i++) l[i] = (int) labels[i];
        return new Run(l, j.path("total_s").asDouble(), j.path("peak_rss_mb").asDouble(), wall);
    }
}
