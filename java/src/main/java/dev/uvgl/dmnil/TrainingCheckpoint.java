package dev.uvgl.dmnil;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.checkpoint.Checkpoint;
import dev.uvgl.model.checkpoint.CheckpointFile;
import dev.uvgl.model.checkpoint.SgdState;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.nn.optim.Sgd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run saves after each epoch and resumes from: weights, SGD momentum, the epoch just
 * finished, the pseudo labels (the fallback when a later clustering finds nothing), the best score so
 * far and the resolved config. Memories are rebuilt from each epoch's clustering, so they are saved
 * for inspection only. Written atomically by CheckpointFile.
 */
public record TrainingCheckpoint(long epoch, long step, double bestR1, long bestEpoch, int[] droneLabels,
        int[] satelliteLabels) {
    static final String DRONE = "drone", SATELLITE = "satellite";

    public static void write(Path file, TrainingCheckpoint s, ConvNeXt model, Sgd sgd, DmnilConfig cfg,
            Map<String, HostArray> memories) throws IOException {
        ObjectNode rng = JsonNodeFactory.instance.objectNode();
        // Every random stream is derived from (seed, epoch, purpose), so the epoch is the whole RNG state.
        rng.put("seed", cfg.seed);
        rng.put("next_epoch", s.epoch + 1);
        rng.put("best_r1", s.bestR1);
        rng.put("best_epoch", s.bestEpoch);
        Map<String, Map<String, HostArray>> sections = new LinkedHashMap<>();
        sections.put(Checkpoint.MODEL, ConvNeXtWeights.export(model));
        sections.put(Checkpoint.OPTIMIZER, SgdState.export(sgd, names(model)));
        if (memories != null && !memories.isEmpty()) sections.put(Checkpoint.MEMORIES, memories);
        Map<String, long[]> labels = new LinkedHashMap<>();
        if (s.droneLabels != null) labels.put(DRONE, toLong(s.droneLabels));
        if (s.satelliteLabels != null) labels.put(SATELLITE, toLong(s.satelliteLabels));
        CheckpointFile.write(file,
                new Checkpoint(Math.max(0, s.epoch + 1), s.step, cfg.toJson(), rng, sections, labels));
    }

    /** Loads the state and restores weights and optimiser into the given model and SGD. */
    public static TrainingCheckpoint read(Path file, ConvNeXt model, Sgd sgd) throws IOException {
        Checkpoint c = CheckpointFile.read(file);
        Map<String, HostArray> w = c.section(Checkpoint.MODEL).orElseThrow(() ->
                new WeightFileException(file + " holds no model weights; resume needs a checkpoint written by train"));
        ConvNeXtWeights.load(model, w, file.toString());
        SgdState.restore(sgd, model.namedParameters(), c.section(Checkpoint.OPTIMIZER).orElse(Map.of()),
                file.toString());
        long epoch = c.epoch() - 1;
        return new TrainingCheckpoint(epoch, c.step(), c.rng().path("best_r1").asDouble(Double.NEGATIVE_INFINITY),
                c.rng().path("best_epoch").asLong(-1), toInt(c.labels().get(DRONE)), toInt(c.labels().get(SATELLITE)));
    }

    /** The config a checkpoint was trained with (for --resume without repeating every option). */
    public static DmnilConfig config(Path file) throws IOException {
        return DmnilConfig.fromJson(CheckpointFile.read(file).config());
    }

    static List<String> names(ConvNeXt model) { return new ArrayList<>(model.namedParameters().keySet()); }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }

    private static int[] toInt(long[] a) {
        if (a == null) return null;
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (int) a[i];
        return out;
    }
}
