package dev.uvgl.model.weights;

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
 * The JSON sidecar of a weights file the engine made (X.safetensors -> X.json): the model and image size
 * the weights are for, the seed of the map they were learnt from (a world of that seed must not be
 * evaluated with them), and everything else the maker recorded (command, commit, steps, probe figures).
 */
public record WeightsCard(String model, int size, long sourceSeed, JsonNode all) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path besides(Path weights) {
        String name = weights.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return weights.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    public static WeightsCard parse(JsonNode n, String source) throws WeightFileException {
        if (n == null || !n.isObject() || !n.path("model").isTextual() || !n.path("size").canConvertToInt()
                || !n.path("source_seed").canConvertToLong())
            throw new WeightFileException(source
                    + " is not a weights card (needs model, size and source_seed); regenerate it with pretrain");
        return new WeightsCard(n.path("model").asText(), n.path("size").asInt(), n.path("source_seed").asLong(), n);
    }

    public static WeightsCard parse(byte[] json, String source) throws WeightFileException {
        try {
            return parse(JSON.readTree(json), source);
        } catch (IOException e) {
            throw new WeightFileException(source + " is not valid JSON (" + e.getMessage()
                    + "); regenerate it with pretrain");
        }
    }

    /** The card beside a weights file, or empty when there is none (weights from elsewhere). */
    public static Optional<WeightsCard> readBeside(Path weights) throws IOException {
        Path f = besides(weights);
        return Files.isRegularFile(f) ? Optional.of(parse(Files.readAllBytes(f), f.toString())) : Optional.empty();
    }

    public static void write(Path file, ObjectNode card) throws IOException {
        AtomicFiles.write(file, (JSON.writeValueAsString(card) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static ObjectNode newCard(String model, int size, long sourceSeed) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model);
        o.put("size", size);
        o.put("source_seed", sourceSeed);
        return o;
    }
}
