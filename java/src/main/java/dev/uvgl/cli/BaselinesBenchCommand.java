package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.data.DatasetError;
import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.eval.Evaluation;
import dev.uvgl.eval.EvaluationResult;
import dev.uvgl.eval.FeatureExtractor;
import dev.uvgl.eval.PixelBaselines;
import dev.uvgl.eval.RetrievalMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `bench baselines`: retrieval by colour histogram and by
 * thumbnail on a dataset, the shortcuts a trained model must beat.
 */
@Command(name = "baselines", mixinStandardHelpOptions = true,
        description = {"Evaluates retrieval without a network on a dataset's test split (same protocol as eval): "
                        + "a joint RGB",
                "histogram (8^3 bins) and an 8 x 8 thumbnail of the resized images. "
                        + "A trained model far above both learnt places,",
                "not colours or layouts."},
        footer = {"", "Example:", "  java -jar engine.jar bench baselines --data runs/demo/world --size 64"})
public final class BaselinesBenchCommand implements Runnable {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset root") Path data;

    @Option(names = "--size", defaultValue = "64",
            description = "image size the images are resized to, as the model sees them (default: ${DEFAULT-VALUE})")
    int size;

    @Override public void run() {
        if (!Files.isDirectory(data))
            throw new UserError("data folder " + data + " does not exist; pass --data with a dataset root");
        GeoDataset set;
        try {
            set = new DatasetLoader(System.err::println).load(data, null).get(0);
        } catch (DatasetError e) {
            throw new UserError(e.getMessage());
        }
        Map<String, FeatureExtractor.Embedder> baselines = new LinkedHashMap<>();
        baselines.put("colour histogram (8^3 bins)", PixelBaselines.colourHistogram(8));
        baselines.put("thumbnail (8 x 8 RGB)", PixelBaselines.thumbnail(8));
        System.out.printf("%-30s %20s %20s%n", "baseline (" + size + " px)", "drone->satellite R@1",
                "satellite->drone R@1");
        for (var b : baselines.entrySet()) {
            EvaluationResult r = Evaluation.run(set, b.getValue(), CpuBackend.INSTANCE,
                    Evaluation.Options.defaults(size), ConsoleProgress.factory(), System.err::println);
            double d2s = Double.NaN, s2d = Double.NaN;
            for (RetrievalMetrics m : r.directions()) {
                if (m.direction().startsWith("drone")) d2s = m.recallAt1();
                else s2d = m.recallAt1();
            }
            System.out.printf("%-30s %20.2f %20.2f%n", b.getKey(), d2s, s2d);
        }
    }
}
