package dev.uvgl.model.checkpoint;

import dev.uvgl.backend.Backend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.BundledWeights;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.SafeTensors;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What `--checkpoint FILE` accepts (cli.md): an engine checkpoint or a bare safetensors weights file
 * in any of the three layouts; the architecture comes from the tensor names and shapes.
 */
public final class ModelFiles {
    /** A model and the image size it was trained at, when the file records one. */
    public record Loaded(ConvNeXt model, OptionalInt trainingSize) {}

    private ModelFiles() {}

    /** The file, or the name of bundled weights (`aerial`) when no file of that name exists. */
    public static Loaded load(Path file, Backend be, Consumer<String> notes) throws IOException {
        String name = file.toString();
        if (!Files.exists(file) && BundledWeights.isBundled(name)) {
            BundledWeights.Loaded b = BundledWeights.load(name).orElseThrow();
            Map<String, HostArray> engine = ConvNeXtWeights.toEngineNames(b.tensors(),
                    "bundled weights '" + name + "'", notes);
            ConvNeXt model = new ConvNeXt(ConvNeXtWeights.inferConfig(engine, name), be, DType.F32, 0);
            ConvNeXtWeights.load(model, engine, name);
            return new Loaded(model, OptionalInt.of(b.card().size()));
        }
        if (!Files.isRegularFile(file))
            throw new WeightFileException(file
                    + " does not exist or is not a file; pass a checkpoint or a .safetensors weights file");
        if (CheckpointFile.isCheckpoint(file)) {
            Checkpoint c = CheckpointFile.read(file);
            Map<String, HostArray> w = c.section(Checkpoint.MODEL).orElseThrow(() ->
                    new WeightFileException(file
                            + " holds no model weights section; pass a checkpoint written by train"));
            ConvNeXtConfig inferred = ConvNeXtWeights.inferConfig(w, file.toString());
            String declared = c.config().path("model").asText("");
            boolean known = ConvNeXtConfig.NAMED.stream().anyMatch(n -> n.name().equalsIgnoreCase(declared));
            if (known && !ConvNeXtConfig.named(declared).equals(inferred))
                throw new WeightFileException(file + ": its config says model " + declared + " but its weights are "
                        + inferred.name()
                        + " (depths " + java.util.Arrays.toString(inferred.depths()) + ", dims "
                        + java.util.Arrays.toString(inferred.dims())
                        + "); the file was assembled from two runs: use a checkpoint written by one train run");
            ConvNeXt model = new ConvNeXt(inferred, be, DType.F32, 0);
            ConvNeXtWeights.load(model, w, file.toString());
            int size = c.config().path("size").asInt(0);
            return new Loaded(model, size > 0 ? OptionalInt.of(size) : OptionalInt.empty());
        }
        if (SafeTensors.looksLike(file))
            return new Loaded(ConvNeXtWeights.loadModel(file, be, notes), OptionalInt.empty());
        throw new WeightFileException(file + " is neither an engine checkpoint nor a safetensors file; "
                + "convert PyTorch .pth weights to safetensors (see the README)");
    }
}
