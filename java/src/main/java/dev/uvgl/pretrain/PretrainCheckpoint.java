package dev.uvgl.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.checkpoint.AdamWState;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What pretraining saves after every round and resumes from: weights, AdamW's moments, both prototype
 * memories, the steps done (the whole RNG state: every stream is derived from the seed and the round's
 * first step), the seconds spent and the first and latest probe. Written atomically by CheckpointFile.
 */
final class PretrainCheckpoint {
    static final String PLACES = "drone_places", TILES = "tiles";

    record State(long step, double trainSeconds, ProbeFigures untrained, ProbeFigures latest) {}

    private PretrainCheckpoint() {}

    static void write(Path file, State s, Pretrainer p, ConvNeXt model, PretrainConfig cfg) throws IOException {
        Map<String, Map<String, HostArray>> sections = new LinkedHashMap<>();
        sections.put(Checkpoint.MODEL, ConvNeXtWeights.export(model));
        AdamWState.export(p.optimizer(), new ArrayList<>(model.namedParameters().keySet()), sections, "");
        sections.put(Checkpoint.MEMORIES,
                Map.of(PLACES, host(p.placePrototypes().rows()), TILES, host(p.tilePrototypes().rows())));
        if (p.placePrototypes().optimizer() != null) {
            AdamWState.export(p.placePrototypes().optimizer(), java.util.List.of(PLACES), sections, PLACES + "_");
            AdamWState.export(p.tilePrototypes().optimizer(), java.util.List.of(TILES), sections, TILES + "_");
        }
        ObjectNode rng = JsonNodeFactory.instance.objectNode();
        rng.put("seed", cfg.seed);
        rng.put("train_seconds", s.trainSeconds());
        rng.set("untrained", probe(s.untrained()));
        rng.set("latest", probe(s.latest()));
        CheckpointFile.write(file, new Checkpoint(0, s.step(), cfg.toJson(), rng, sections, Map.of()));
    }

    /** Restores weights, optimiser and memories into the pretrainer's model; returns the saved state. */
    static State read(Path file, Pretrainer p) throws IOException {
        Checkpoint c = CheckpointFile.read(file);
        Map<String, HostArray> w = c.section(Checkpoint.MODEL).orElseThrow(() ->
                new WeightFileException(file
                        + " holds no model weights; resume needs a checkpoint written by pretrain"));
        Map<String, HostArray> mem = c.section(Checkpoint.MEMORIES).orElseThrow(() ->
                new WeightFileException(file
                        + " holds no prototype memories; resume needs a checkpoint written by pretrain"));
        ConvNeXt model = p.model();
        ConvNeXtWeights.load(model, w, file.toString());
        AdamWState.restore(p.optimizer(), model.namedParameters(), c, file.toString(), "");
        p.placePrototypes().restore(restore(p.placePrototypes().rows(), mem.get(PLACES), file, PLACES));
        p.tilePrototypes().restore(restore(p.tilePrototypes().rows(), mem.get(TILES), file, TILES));
        if (p.placePrototypes().optimizer() != null) {
            AdamWState.restore(p.placePrototypes().optimizer(), Map.of(PLACES,
                    new dev.uvgl.nn.Parameter(PLACES, p.placePrototypes().rows())), c, file.toString(), PLACES + "_");
            AdamWState.restore(p.tilePrototypes().optimizer(), Map.of(TILES,
                    new dev.uvgl.nn.Parameter(TILES, p.tilePrototypes().rows())), c, file.toString(), TILES + "_");
        }
        JsonNode rng = c.rng();
        return new State(c.step(), rng.path("train_seconds").asDouble(0), probe(rng.path("untrained")),
                probe(rng.path("latest")));
    }

    /** The config a checkpoint was made with (for --resume without repeating every option). */
    static PretrainConfig config(Path file) throws IOException {
        return PretrainConfig.fromJson(CheckpointFile.read(file).config());
    }

    private static Tensor restore(Tensor like, HostArray from, Path file, String name) throws WeightFileException {
        if (from == null || !java.util.Arrays.equals(from.shape(), like.shape().dims()))
            throw new WeightFileException(file + ": memory " + name
                    + (from == null ? " is missing" : " has shape " + from.shapeString())
                    + ", this source world needs " + like.shape()
                    + "; resume with the source world the run was started with");
        return like.backend().fromArray(from.data(), Shape.of(from.shape()));
    }

    private static HostArray host(Tensor t) { return new HostArray(t.shape().dims(), t.toFloatArray()); }

    private static ObjectNode probe(ProbeFigures f) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        f.into(o);
        return (ObjectNode) o.get("probe");
    }

    private static ProbeFigures probe(JsonNode p) {
        return new ProbeFigures(p.path("d2s_r1").asDouble(Double.NaN), p.path("d2s_ap").asDouble(Double.NaN),
                p.path("s2d_r1").asDouble(Double.NaN),
                p.path("drone_purity").asDouble(Double.NaN), p.path("drone_ari").asDouble(Double.NaN),
                p.path("drone_clusters").asInt(0),
                p.path("drone_clustered").asDouble(Double.NaN), p.path("seconds").asDouble(Double.NaN));
    }
}
