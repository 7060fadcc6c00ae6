package dev.uvgl.dmnil;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's metrics.jsonl line while the epoch runs: the loop writes what each phase found into `json`,
 * times each phase through `time`, and `finish` adds the phase timings and whether the epoch was the best.
 */
final class EpochLog {
    /** A phase of the epoch (it may read files or write checkpoints). */
    interface Phase<T> { T run() throws IOException; }

    final ObjectNode json;
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    EpochLog(ObjectNode json) { this.json = json; }

    <T> T time(String phase, Phase<T> body) throws IOException {
        long t0 = System.nanoTime();
        T out = body.run();
        seconds.put(phase, (System.nanoTime() - t0) / 1e9);
        return out;
    }

    double seconds(String phase) { return seconds.get(phase); }

    ObjectNode finish(boolean best) {
        ObjectNode sec = json.putObject("seconds");
        seconds.forEach(sec::put);
        json.put("best", best);
        return json;
    }
}
