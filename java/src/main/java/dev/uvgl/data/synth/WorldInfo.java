package dev.uvgl.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * world.json at a synthetic world's root: what `synth` made it from. Pretraining reads the seed to keep
 * its source map apart from every world it is evaluated on (a shared seed is the same map).
 */
public record WorldInfo(long seed, int places, int dronesPerPlace, int size, double tileSpanMetres) {
    public static final String FILE = "world.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static WorldInfo of(SynthOptions o) {
        return new WorldInfo(o.seed(), o.places(), o.dronesPerPlace(), o.size(), o.tileSpanMetres());
    }

    void write(Path root) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("generator", "uvgl synth");
        o.put("seed", seed);
        o.put("places", places);
        o.put("drones_per_place", dronesPerPlace);
        o.put("size", size);
        o.put("tile_span_m", tileSpanMetres);
        AtomicFiles.write(root.resolve(FILE), (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The world's info, or empty for a world without world.json (a public dataset, an older synthetic world). */
    public static Optional<WorldInfo> read(Path root) throws IOException {
        Path f = root.resolve(FILE);
        if (!Files.isRegularFile(f)) return Optional.empty();
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(f));
        } catch (IOException e) {
            throw new IOException(f + " is not valid JSON (" + e.getMessage()
                    + "); regenerate the world with synth", e);
        }
        if (n == null || !n.path("seed").canConvertToLong())
            throw new IOException(f + " has no seed; regenerate the world with synth");
        return Optional.of(
                new WorldInfo(n.path("seed").asLong(), n.path("places").asInt(), n.path("drones_per_place").asInt(),
                n.path("size").asInt(), n.path("tile_span_m").asDouble(150)));
    }
}
