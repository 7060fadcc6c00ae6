package dev.uvgl.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The lines of a training run's metrics.jsonl that carry an epoch. A line that is not JSON (say,
 * the half-written last line of a run still going) is skipped with a note rather than failing the
 * charts; NaN and Infinity are accepted as the trainer may write a diverged loss that way.
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** One line: its epoch (-1 = the untrained network) and the whole object. */
    public record Line(int number, int epoch, JsonNode json) {}

    private MetricsLog() {}

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
}
