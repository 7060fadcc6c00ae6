package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.dmnil.MetricsLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demo's closing table: the random network, the pretrained start, DMNIL's best epoch (chosen on the test split,
 * as the reference's checkpointing does) and its last epoch (chosen by nothing), and the gains.
 */
record DemoSummary(double[] random, double[] start, double[] trained, int bestEpoch, double[] last, int lastEpoch) {
    static DemoSummary of(Path randomMetrics, Path trainMetrics) throws IOException {
        List<MetricsLog.Line> r = MetricsLog.read(randomMetrics, n -> {}), t = MetricsLog.read(trainMetrics, n -> {});
        double[] random = recalls(first(r, -1)), start = recalls(first(t, -1)), best = start;
        double[] last = start;
        int bestEpoch = -1, lastEpoch = -1;
        for (MetricsLog.Line l : t) {
            if (l.epoch() >= 0 && l.json().path("best").asBoolean(false)) {
                best = recalls(l.json());
                bestEpoch = l.epoch();
            }
            if (l.epoch() > lastEpoch && l.json().has("eval")) { last = recalls(l.json()); lastEpoch = l.epoch(); }
        }
        return new DemoSummary(random, start, best, bestEpoch, last, lastEpoch);
    }

    private static JsonNode first(List<MetricsLog.Line> lines, int epoch) {
        return lines.stream().filter(l -> l.epoch() == epoch).findFirst().map(MetricsLog.Line::json)
                .orElseThrow(() -> new IllegalStateException("the run's metrics have no epoch " + epoch + " line"));
    }

    private static double[] recalls(JsonNode line) {
        return new double[] {line.path("eval").path("d2s").path("r1").asDouble(Double.NaN),
                line.path("eval").path("s2d").path("r1").asDouble(Double.NaN)};
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-46s %22s %22s%n", "network (test split, 64 px)", "drone->satellite R@1",
                "satellite->drone R@1"));
        row(sb, "random initialisation", random);
        row(sb, "pretrained start (--weights aerial)", start);
        row(sb, bestEpoch >= 0 ? "DMNIL, no labels (best epoch " + bestEpoch + ")"
                : "DMNIL, no labels (no epoch beat the start)", trained);
        if (lastEpoch >= 0) row(sb, "DMNIL, no labels (last epoch " + lastEpoch + ")", last);
        gain(sb, "best epoch", trained);
        if (lastEpoch >= 0) gain(sb, "last epoch", last);
        return sb.toString();
    }

    private void gain(StringBuilder sb, String epoch, double[] v) {
        sb.append(String.format(Locale.ROOT, "%-46s %+15.2f points %+15.2f points%n",
                "DMNIL's gain over its start (" + epoch + ")",
                v[0] - start[0], v[1] - start[1]));
    }

    private static void row(StringBuilder sb, String name, double[] v) {
        sb.append(String.format(Locale.ROOT, "%-46s %22.2f %22.2f%n", name, v[0], v[1]));
    }
}
