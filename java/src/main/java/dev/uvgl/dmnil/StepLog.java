package dev.uvgl.dmnil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Tensor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * RUN/steps.jsonl (config key step_log): one line per training step with every loss term, the global
 * gradient norm, the largest gradient and its parameter, and the smallest and largest embedding norm of
 * the batch, so a divergence can be traced to its first step. Appended and flushed per line: a crash
 * keeps every step before it. Costs a host read of every gradient per step, hence off by default.
 */
final class StepLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    StepLog(Path file) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    void write(int epoch, long step, Map<String, Double> terms, Map<String, Parameter> params, Tensor fDrone,
            Tensor fSat) {
        ObjectNode line = JSON.createObjectNode();
        line.put("epoch", epoch);
        line.put("step", step);
        ObjectNode t = line.putObject("loss");
        terms.forEach(t::put);
        double sq = 0, worst = 0;
        String worstName = "";
        for (var e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) continue;
            for (float v : g.toFloatArray()) {
                sq += (double) v * v;
                if (!(Math.abs(v) <= worst)) { worst = Math.abs(v); worstName = e.getKey(); }
            }
        }
        line.put("grad_norm", Math.sqrt(sq));
        line.put("grad_max", worst);
        line.put("grad_max_param", worstName);
        rowNorms(line, "drone_embedding_norm", fDrone);
        rowNorms(line, "satellite_embedding_norm", fSat);
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rowNorms(ObjectNode line, String key, Tensor f) {
        float[] d = f.toFloatArray();
        int dim = f.dim(1);
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (int r = 0; r < f.dim(0); r++) {
            double s = 0;
            for (int j = 0; j < dim; j++) s += (double) d[r * dim + j] * d[r * dim + j];
            min = Math.min(min, Math.sqrt(s));
            max = Math.max(max, Math.sqrt(s));
        }
        ObjectNode o = line.putObject(key);
        o.put("min", min);
        o.put("max", max);
    }

    @Override public void close() throws IOException { out.close(); }
}
