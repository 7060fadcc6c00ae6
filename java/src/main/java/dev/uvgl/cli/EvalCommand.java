package dev.uvgl.cli;

import dev.uvgl.data.DatasetError;
import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.eval.Direction;
import dev.uvgl.eval.Evaluation;
import dev.uvgl.eval.EvaluationResult;
import dev.uvgl.eval.Protocol;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.checkpoint.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `eval`: the evaluation protocol of benchmarks.md section 3
 * for a checkpoint (or bare weights) on a dataset's test split.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a checkpoint on the test split of DIR "
                + "(University-1652, SUES-200 or DenseUAV, recognised from the tree): "
                + "Recall@1/5/10, Recall@top1%%, AP, GPS errors where positions exist, SDM@K for DenseUAV."},
        footer = {"", "Examples:", "  java -jar engine.jar eval --data world --checkpoint run/checkpoints/best.ckpt",
                "  java -jar engine.jar eval --data University-1652 --checkpoint convnext_tiny.safetensors "
                        + "--protocol reference --json"})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "dataset root (e.g. the folder `synth` wrote)")
    Path data;

    @picocli.CommandLine.Mixin ModelOptions modelOptions;

    @Option(names = "--direction", defaultValue = "both", description = "d2s | s2d | both (default: ${DEFAULT-VALUE})")
    String direction;

    @Option(names = "--protocol", defaultValue = "standard",
            description = "standard (distractors ranked, University-1652's original) | "
                    + "reference (gallery ids no query has are junk, as DMNIL's code) (default: ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = "--altitude", split = ",", paramLabel = "M",
            description = "SUES-200 altitudes to evaluate (default: every one present)")
    List<Integer> altitudes;

    @Option(names = "--batch", defaultValue = "32", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--json", description = "print a JSON object per dataset instead of the table")
    boolean json;

    @Override public Integer call() throws java.io.IOException {
        if (!Files.isDirectory(data))
            throw new UserError("data folder " + data
                    + " does not exist; pass --data with a dataset root (make one with `synth --out DIR`)");
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        List<Direction> directions = switch (direction) {
            case "d2s" -> List.of(Direction.D2S);
            case "s2d" -> List.of(Direction.S2D);
            case "both" -> List.of(Direction.D2S, Direction.S2D);
            default -> throw new UserError("--direction " + direction + " is not one of d2s, s2d, both");
        };
        Protocol proto = switch (protocol) {
            case "standard" -> Protocol.STANDARD;
            case "reference" -> Protocol.REFERENCE;
            default -> throw new UserError("--protocol " + protocol + " is not one of standard, reference");
        };
        List<GeoDataset> sets;
        try {
            sets = new DatasetLoader(System.err::println).load(data, altitudes);
        } catch (DatasetError e) {
            throw new UserError(e.getMessage());
        }
        for (GeoDataset set : sets) {
            List<String> missing = new java.util.ArrayList<>();
            for (Direction d : directions) {
                var q = d == Direction.D2S ? set.queryDrone() : set.querySatellite();
                var g = d == Direction.D2S ? set.gallerySatellite() : set.galleryDrone();
                if (q.size() == 0) missing.add(q.name());
                if (g.size() == 0) missing.add(g.name());
            }
            if (!missing.isEmpty())
                throw new UserError(set.name() + " has no " + String.join(", ", missing.stream().distinct().toList())
                        + " images to evaluate "
                        + directions.stream().map(Direction::label).toList()
                        + "; eval needs the test split (test/query_drone, test/gallery_satellite, "
                        + "test/query_satellite, test/gallery_drone), or pass --direction for the one that is there");
        }
        ModelOptions.Model m = modelOptions.load("eval");
        ModelFiles.Loaded loaded = m.loaded();
        int px = m.size();
        ConvNeXt model = loaded.model().eval();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("checkpoint", modelOptions.checkpoint.toString());
        provenance.put("model", model.config().name());
        var base = Evaluation.Options.defaults(px);
        var opt = new Evaluation.Options(px, batch, proto, directions, base.threads(), provenance);
        for (GeoDataset set : sets) {
            EvaluationResult r = Evaluation.run(set, model::embeddingRows,
                    m.backend(), opt, ConsoleProgress.factory(), System.err::println);
            System.out.println(json ? r.toJson() : r.table());
        }
        return 0;
    }

}
