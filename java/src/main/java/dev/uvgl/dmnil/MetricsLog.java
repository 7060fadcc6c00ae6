package dev.uvgl.dmnil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * metrics.jsonl: one JSON object per epoch (cli.md). Each append rewrites the file through a temp
 * file and a rename, so a kill leaves the previous complete file; on resume, lines of epochs after the
 * checkpoint are dropped, so the log always matches the checkpoint it continues from. The writer and the
 * readers (resume here, the charts in report/) share one JSON setting: NaN and Infinity are accepted, as a
 * diverged loss may be written that way.
 */
public final class MetricsLog {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /**
     * One line of a finished or running log: its line number, its
     * epoch (-1 = the untrained network) and the whole object.
     */
    public record Line(int number, int epoch, JsonNode json) {}
    private final Path file;
    private final String key;
    private final List<String> lines = new ArrayList<>();

    private MetricsLog(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    public static MetricsLog create(Path file) { return create(file, "epoch"); }

    /** A log whose lines are numbered by `key` ("epoch" for training, "step" for pretraining). */
    public static MetricsLog create(Path file, String key) { return new MetricsLog(file, key); }

    /** The existing lines up to and including `lastEpoch`. */
    public static MetricsLog resume(Path file, long lastEpoch) throws IOException {
        return resume(file, "epoch", lastEpoch);
    }

    /** The existing lines whose `key` is at most `last`. */
    public static MetricsLog resume(Path file, String key, long last) throws IOException {
        MetricsLog log = new MetricsLog(file, key);
        if (Files.exists(file))
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                if (n.path(key).asLong(Long.MAX_VALUE) <= last) log.lines.add(line);
            }
        log.flush();
        return log;
    }

    public ObjectNode newLine(long number) {
        ObjectNode o = JSON.createObjectNode();
        o.put(key, number);
        return o;
    }

    public void append(ObjectNode line) throws IOException {
        lines.add(JSON.writeValueAsString(line));
        flush();
    }

    public List<JsonNode> entries() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) out.add(JSON.readTree(l));
        return out;
    }

    /** The untrained network's drone->satellite R@1 (the epoch -1 line), NaN when the log has none. */
    public double untrainedR1() throws IOException {
        for (JsonNode n : entries())
            if (n.path("epoch").asLong() == -1) return n.path("eval").path("d2s").path("r1").asDouble(Double.NaN);
        return Double.NaN;
    }

    /**
     * The lines of a run's metrics.jsonl that carry an epoch, for charts and tables. A line that is not JSON (say,
     * the half-written last line of a run still going) is skipped with a note rather than failing the reader.
     */
    public static List<Line> read(Path jsonl, Consumer<String> notes) throws IOException {
        List<Line> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty()) continue;
            JsonNode j;
            try {
                j = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                notes.accept(jsonl.getFileName() + " line " + (i + 1) + " is not JSON; skipped");
                continue;
            }
            if (!j.isObject() || !j.path("epoch").isNumber()) {
                notes.accept(jsonl.getFileName() + " line " + (i + 1) + " has no numeric \"epoch\"; skipped");
                continue;
            }
            out.add(new Line(i + 1, j.path("epoch").asInt(), j));
        }
        return out;
    }

    private void flush() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l).append('\n');
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
