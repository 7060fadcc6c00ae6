package dev.uvgl.model.weights;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three key layouts a ConvNeXt weight file comes in, each translated to the engine's names
 * (those of the original release). toEngine returns the engine name, IGNORED for the classifier,
 * or null for a key the layout does not know.
 */
public enum WeightLayout {
    /** facebookresearch/ConvNeXt: downsample_layers.*, stages.S.J.*, norm, head. The engine's own names. */
    ORIGINAL {
        @Override String map(String k) {
            if (k.startsWith("head.")) return IGNORED;
            return k.startsWith("downsample_layers.") || k.startsWith("stages.") || k.startsWith("norm.") ? k : null;
        }
    },
    /**
     * timm: stem.*, stages.S.downsample.*, stages.S.blocks.J.{conv_dw,norm,mlp.fc1,mlp.fc2,gamma}, head.norm, head.fc.
     */
    TIMM {
        private final Pattern stem = Pattern.compile("stem\\.([01])\\.(weight|bias)");
        private final Pattern down = Pattern.compile("stages\\.(\\d+)\\.downsample\\.([01])\\.(weight|bias)");
        private final Pattern block = Pattern.compile("stages\\.(\\d+)\\.blocks\\.(\\d+)\\.(.+)");
        private final Map<String, String> parts = Map.of("conv_dw.", "dwconv.", "norm.", "norm.", "mlp.fc1.",
                "pwconv1.", "mlp.fc2.", "pwconv2.");

        @Override String map(String k) {
            if (k.startsWith("head.fc.")) return IGNORED;
            if (k.startsWith("head.norm.")) return "norm." + k.substring("head.norm.".length());
            Matcher m;
            if ((m = stem.matcher(k)).matches()) return "downsample_layers.0." + m.group(1) + "." + m.group(2);
            if ((m = down.matcher(k)).matches())
                return "downsample_layers." + m.group(1) + "." + m.group(2) + "." + m.group(3);
            if ((m = block.matcher(k)).matches()) {
                String rest = m.group(3), prefix = "stages." + m.group(1) + "." + m.group(2) + ".";
                if (rest.equals("gamma")) return prefix + "gamma";
                for (var p : parts.entrySet())
                    if (rest.startsWith(p.getKey())) return prefix + p.getValue() + rest.substring(p.getKey().length());
            }
            return null;
        }
    },
    /**
     * torchvision: features.0 = stem, features.{1,3,5,7} = stages with block.{0 dwconv, 2 norm,
     * 3 pwconv1, 5 pwconv2} and layer_scale [C,1,1], features.{2,4,6} = downsamples, classifier.0 = the
     * final norm, classifier.2 = the classification layer.
     */
    TORCHVISION {
        private final Pattern seq = Pattern.compile("features\\.(\\d+)\\.([01])\\.(weight|bias)");
        private final Pattern block = Pattern.compile("features\\.(\\d+)\\.(\\d+)\\.block\\.(\\d+)\\.(weight|bias)");
        private final Pattern scale = Pattern.compile("features\\.(\\d+)\\.(\\d+)\\.layer_scale");
        private final Map<String, String> layers = Map.of("0", "dwconv", "2", "norm", "3", "pwconv1", "5", "pwconv2");

        @Override String map(String k) {
            if (k.startsWith("classifier.2.")) return IGNORED;
            if (k.startsWith("classifier.0.")) return "norm." + k.substring("classifier.0.".length());
            Matcher m;
            if ((m = block.matcher(k)).matches()) {
                int f = Integer.parseInt(m.group(1));
                String layer = layers.get(m.group(3));
                if (f % 2 == 0 || layer == null) return null;
                return "stages." + (f - 1) / 2 + "." + m.group(2) + "." + layer + "." + m.group(4);
            }
            if ((m = scale.matcher(k)).matches()) {
                int f = Integer.parseInt(m.group(1));
                return f % 2 == 1 ? "stages." + (f - 1) / 2 + "." + m.group(2) + ".gamma" : null;
            }
            if ((m = seq.matcher(k)).matches()) {
                int f = Integer.parseInt(m.group(1));
                return f % 2 == 0 && f <= 6 ? "downsample_layers." + f / 2 + "." + m.group(2) + "." + m.group(3) : null;
            }
            return null;
        }
    };

    /** timm's name for an engine (original-release) name: what the engine writes for timm users. */
    public static String timmName(String engine) {
        Matcher m;
        if ((m = ENGINE_DOWNSAMPLE.matcher(engine)).matches()) {
            String rest = m.group(2) + "." + m.group(3);
            return m.group(1).equals("0") ? "stem." + rest : "stages." + m.group(1) + ".downsample." + rest;
        }
        if ((m = ENGINE_BLOCK.matcher(engine)).matches()) {
            String part = switch (m.group(3)) {
                case "dwconv" -> "conv_dw";
                case "pwconv1" -> "mlp.fc1";
                case "pwconv2" -> "mlp.fc2";
                default -> m.group(3);
            };
            return "stages." + m.group(1) + ".blocks." + m.group(2) + "." + part
                    + (m.group(4) == null ? "" : m.group(4));
        }
        if (engine.startsWith("norm.")) return "head." + engine;
        throw new IllegalArgumentException("'" + engine + "' is not an engine ConvNeXt parameter name");
    }

    private static final Pattern ENGINE_DOWNSAMPLE = Pattern.compile(
            "downsample_layers\\.(\\d)\\.([01])\\.(weight|bias)");
    private static final Pattern ENGINE_BLOCK = Pattern.compile(
            "stages\\.(\\d)\\.(\\d+)\\.(dwconv|norm|pwconv1|pwconv2|gamma)(\\.weight|\\.bias)?");

    /** Marker for a key that is known and deliberately not loaded (the classifier). */
    public static final String IGNORED = "<ignored>";

    abstract String map(String fileKey);

    /** The engine name for a file key: see the class comment. */
    public String toEngine(String fileKey) { return map(fileKey); }

    /**
     * The layout of a file, from its key names: torchvision has
     * features.*, timm stem.*, the original downsample_layers.*.
     */
    public static WeightLayout detect(Iterable<String> keys, String source) throws WeightFileException {
        for (String k : keys) {
            if (k.startsWith("features.")) return TORCHVISION;
            if (k.startsWith("stem.")) return TIMM;
            if (k.startsWith("downsample_layers.")) return ORIGINAL;
        }
        throw new WeightFileException(source + " has no ConvNeXt stem (features.0.*, stem.* or downsample_layers.0.*): "
                + "pass ConvNeXt weights with torchvision, timm or original-release key names");
    }
}
