package dev.uvgl.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.uvgl.model.weights.HostArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything training needs to resume (cli.md): float sections of named arrays (the model's
 * weights, the optimiser's momentum buffers, the memories, and any section a later version adds),
 * integer sections (pseudo labels per view), epoch, step, the RNG state and the resolved config
 * as JSON. A section a file lacks is simply absent, so older files still load.
 */
public final class Checkpoint {
    public static final String MODEL = "model", OPTIMIZER = "optimizer", MEMORIES = "memories";

    private final long epoch, step;
    private final JsonNode config, rng;
    private final Map<String, Map<String, HostArray>> sections;
    private final Map<String, long[]> labels;

    public Checkpoint(long epoch, long step, JsonNode config, JsonNode rng,
                      Map<String, Map<String, HostArray>> sections, Map<String, long[]> labels) {
        if (epoch < 0 || step < 0)
            throw new IllegalArgumentException("epoch and step must be >= 0, got " + epoch + ", " + step);
        for (String s : sections.keySet())
            if (s.isEmpty() || s.contains("/"))
                throw new IllegalArgumentException("section name '" + s + "' must be non-empty without '/'");
        this.epoch = epoch;
        this.step = step;
        this.config = config == null ? JsonNodeFactory.instance.objectNode() : config;
        this.rng = rng == null ? JsonNodeFactory.instance.nullNode() : rng;
        Map<String, Map<String, HostArray>> copy = new LinkedHashMap<>();
        sections.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.sections = Collections.unmodifiableMap(copy);
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** A checkpoint holding only model weights (engine names), as an untrained network's. */
    public static Checkpoint ofWeights(Map<String, HostArray> weights, JsonNode config) {
        return new Checkpoint(0, 0, config, null, Map.of(MODEL, weights), Map.of());
    }

    public long epoch() { return epoch; }

    public long step() { return step; }

    public JsonNode config() { return config; }

    public JsonNode rng() { return rng; }

    public Map<String, Map<String, HostArray>> sections() { return sections; }

    public Optional<Map<String, HostArray>> section(String name) { return Optional.ofNullable(sections.get(name)); }

    /** Pseudo labels by name (one array per view); empty before the first clustering. */
    public Map<String, long[]> labels() { return labels; }
}
