package dev.uvgl.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Weights that ship inside the jar, by name: `aerial` is the ConvNeXt the engine pretrained itself on a
 * synthetic source map without drone-satellite pairs (`pretrain`; the command, log and figures are in
 * bench/results). Each comes with its card, which says the model and image size it was made for.
 */
public final class BundledWeights {
    public static final String AERIAL = "aerial", NONE = "none";
    private static final String DIR = "/weights/";
    private static final Map<String, String> FILES = Map.of(AERIAL, "aerial-atto-64");

    /** Weights and their card. */
    public record Loaded(String name, Map<String, HostArray> tensors, WeightsCard card) {}

    private BundledWeights() {}

    public static boolean isBundled(String name) { return FILES.containsKey(name); }

    /** The named weights, or empty when the name is not bundled. A bundled name whose files are missing is an error. */
    public static Optional<Loaded> load(String name) throws WeightFileException {
        String base = FILES.get(name);
        if (base == null) return Optional.empty();
        byte[] weights = resource(DIR + base + ".safetensors", name), card = resource(DIR + base + ".json", name);
        String source = "bundled weights '" + name + "'";
        return Optional.of(new Loaded(name, SafeTensors.parse(weights, source).tensors(),
                WeightsCard.parse(card, source + " card")));
    }

    /** The card of the named weights (what they were made for), without reading the weights. */
    public static Optional<WeightsCard> card(String name) throws WeightFileException {
        String base = FILES.get(name);
        if (base == null) return Optional.empty();
        return Optional.of(
                WeightsCard.parse(resource(DIR + base + ".json", name), "bundled weights '" + name + "' card"));
    }

    private static byte[] resource(String path, String name) throws WeightFileException {
        try (InputStream in = BundledWeights.class.getResourceAsStream(path)) {
            if (in == null)
                throw new WeightFileException("the bundled weights '" + name + "' are not in this jar (" + path
                        + "); rebuild the jar with mvn package");
            return in.readAllBytes();
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw new WeightFileException("cannot read the bundled weights '" + name + "' (" + path + "): "
                    + e.getMessage());
        }
    }
}
