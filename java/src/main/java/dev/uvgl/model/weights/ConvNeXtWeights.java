package dev.uvgl.model.weights;

import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.nn.Parameter;
import dev.uvgl.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves ConvNeXt weights between a model and named host arrays (a safetensors file, a checkpoint
 * section): key translation, architecture inference, and all-or-nothing loading: every key and
 * shape is checked before the first parameter changes, so a bad file never half-loads a model.
 */
public final class ConvNeXtWeights {
    private static final Pattern STAGE_BLOCK = Pattern.compile("stages\\.(\\d)\\.(\\d+)\\.dwconv\\.weight");

    private ConvNeXtWeights() {}

    /** File tensors under engine names, with the ignored keys reported to `notes`. */
    public static Map<String, HostArray> toEngineNames(Map<String, HostArray> file, String source,
            Consumer<String> notes) throws WeightFileException {
        return toEngineNames(file, source, notes, new LinkedHashMap<>());
    }

    /** As above, also filling `fileKeyOf` (engine name -> the file's name) for error messages. */
    static Map<String, HostArray> toEngineNames(Map<String, HostArray> file, String source, Consumer<String> notes,
                                                Map<String, String> fileKeyOf) throws WeightFileException {
        WeightLayout layout = WeightLayout.detect(file.keySet(), source);
        Map<String, HostArray> out = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (var e : file.entrySet()) {
            String engine = layout.toEngine(e.getKey());
            if (engine == null)
                throw new WeightFileException(source + ": key '" + e.getKey() + "' "
                        + Arrays.toString(e.getValue().shape())
                        + " is not part of a " + layout.name().toLowerCase()
                        + " ConvNeXt backbone; remove it or export the backbone alone");
            if (engine.equals(WeightLayout.IGNORED)) { ignored.add(e.getKey()); continue; }
            if (out.put(engine, e.getValue()) != null)
                throw new WeightFileException(source + ": two keys map to " + engine + " (last: '" + e.getKey() + "')");
            fileKeyOf.put(engine, e.getKey());
        }
        if (!ignored.isEmpty())
            notes.accept(source + ": ignoring the classification layer (" + String.join(", ", ignored)
                    + "): the engine uses the embedding");
        return out;
    }

    /**
     * The ConvNeXt size these engine-named weights describe:
     * blocks counted per stage, channels from the depthwise convs.
     */
    public static ConvNeXtConfig inferConfig(Map<String, HostArray> engine, String source) throws WeightFileException {
        int[] depths = new int[4], dims = new int[4];
        for (var e : engine.entrySet()) {
            Matcher m = STAGE_BLOCK.matcher(e.getKey());
            if (!m.matches()) continue;
            int s = Integer.parseInt(m.group(1)), j = Integer.parseInt(m.group(2));
            if (s > 3) throw new WeightFileException(source + ": stage " + s + " found; ConvNeXt has stages 0-3");
            depths[s] = Math.max(depths[s], j + 1);
            dims[s] = e.getValue().shape()[0];
        }
        for (int s = 0; s < 4; s++)
            if (depths[s] == 0)
                throw new WeightFileException(source + ": no blocks for stage " + s
                        + "; the file is not a complete ConvNeXt backbone");
        return ConvNeXtConfig.of(depths, dims);
    }

    /** Reads a safetensors file in any of the three layouts into a new model of the size it describes. */
    public static ConvNeXt loadModel(Path file, dev.uvgl.backend.Backend be,
            Consumer<String> notes) throws IOException {
        Map<String, String> fileKeyOf = new LinkedHashMap<>();
        Map<String, HostArray> engine = toEngineNames(SafeTensors.read(file).tensors(), file.toString(),
                notes, fileKeyOf);
        ConvNeXt model = new ConvNeXt(inferConfig(engine, file.toString()), be, dev.uvgl.tensor.DType.F32, 0);
        load(model, engine, file.toString(), fileKeyOf);
        return model;
    }

    /** Loads a weight file in any layout into an existing model (say, of the size training asked for). */
    public static void loadInto(ConvNeXt model, Path file, Consumer<String> notes) throws IOException {
        Map<String, String> fileKeyOf = new LinkedHashMap<>();
        Map<String, HostArray> engine = toEngineNames(SafeTensors.read(file).tensors(), file.toString(),
                notes, fileKeyOf);
        load(model, engine, file.toString(), fileKeyOf);
    }

    /**
     * Sets every parameter of `model` from engine-named arrays. Fails, changing nothing, on the first
     * missing, extra or wrongly shaped key, naming it with both shapes.
     */
    public static void load(ConvNeXt model, Map<String, HostArray> engine, String source) throws WeightFileException {
        load(model, engine, source, Map.of());
    }

    private static void load(ConvNeXt model, Map<String, HostArray> engine, String source,
            Map<String, String> fileKeyOf) throws WeightFileException {
        Map<String, Parameter> params = model.namedParameters();
        String fix = "; use weights of the same model size (this model is " + model.config() + ")";
        for (var p : params.entrySet()) {
            HostArray a = engine.get(p.getKey());
            int[] want = p.getValue().value().shape().dims();
            if (a == null)
                throw new WeightFileException(source + ": missing key " + p.getKey() + " "
                        + Arrays.toString(want) + fix);
            if (!HostArray.sameUpToOnes(a.shape(), want))
                throw new WeightFileException(source + ": key " + named(p.getKey(), fileKeyOf) + " has shape "
                        + a.shapeString() + ", the model expects " + Arrays.toString(want) + fix);
        }
        for (var e : new TreeMap<>(engine).entrySet())
            if (!params.containsKey(e.getKey()))
                throw new WeightFileException(source + ": unexpected key " + named(e.getKey(), fileKeyOf) + " "
                        + e.getValue().shapeString() + " (the model has no such parameter)" + fix);
        for (var p : params.entrySet()) {
            Tensor old = p.getValue().value();
            Tensor v = old.backend().fromArray(engine.get(p.getKey()).data(), old.shape());
            p.getValue().set(old.dtype() == v.dtype() ? v : old.backend().toDType(v, old.dtype()));
        }
    }

    /** The file's key, with the engine's name beside it when they differ. */
    private static String named(String engine, Map<String, String> fileKeyOf) {
        String f = fileKeyOf.getOrDefault(engine, engine);
        return f.equals(engine) ? engine : f + " (engine: " + engine + ")";
    }

    /** The model's parameters under engine names, as host arrays. */
    public static Map<String, HostArray> export(ConvNeXt model) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (var p : model.namedParameters().entrySet()) {
            Tensor t = p.getValue().value();
            out.put(p.getKey(), new HostArray(t.shape().dims(), t.toFloatArray()));
        }
        return out;
    }

    /**
     * Writes the model as a safetensors file in timm's layout
     * (timm.create_model(..., pretrained_cfg_overlay=dict(file=...)) reads it).
     */
    public static void saveTimm(ConvNeXt model, Path file, Map<String, String> metadata,
            SafeTensors.Precision precision) throws IOException {
        Map<String, HostArray> timm = new LinkedHashMap<>();
        export(model).forEach((k, v) -> timm.put(WeightLayout.timmName(k), v));
        Map<String, String> meta = new LinkedHashMap<>(Map.of("format", "pt", "uvgl.model", model.config().name()));
        meta.putAll(metadata);
        SafeTensors.write(file, timm, meta, precision);
    }

    /** Writes the model as a safetensors file in the original release's layout, naming its size in the metadata. */
    public static void save(ConvNeXt model, Path file) throws IOException {
        SafeTensors.write(file, export(model), Map.of("format", "pt", "uvgl.model", model.config().name()));
    }

}
