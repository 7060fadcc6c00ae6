package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uvgl.report.MetricsLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The demo's closing table: the random network, the pretrained start, DMNIL's best epoch, and the gain. */
record DemoSummary(double[] random, double[] start, double[] trained, int bestEpoch) {
    static DemoSummary of(Path randomMetrics, Path trainMetrics) throws IOException {
        List<MetricsLog.Line> r = MetricsLog.read(randomMetrics, n -> {}), t = MetricsLog.read(trainMetrics, n -> {});
        double[] random = recalls(first(r, -1)), start = recalls(first(t, -1)), best = start;
        int bestEpoch = -1;
        for (MetricsLog.Line l : t)
            if (l.epoch() >= 0 && l.json().path("best").asBoolean(false)) { best = recalls(l.json()); bestEpoch = l.epoch(); }
        return new DemoSummary(random, start, best, bestEpoch);
    }

    private static JsonNode first(List<MetricsLog.Line> lines, int epoch) {
        return lines.stream().filter(l -> l.epoch() == epoch).findFirst().map(MetricsLog.Line::json)
                .orElseThrow(() -> new IllegalStateException("the run's metrics have no epoch " + epoch + " line"));
    }

    private static double[] recalls(JsonNode line) {
        return new double[] {line.path("eval").path("d2s").path("r1").asDouble(Double.NaN), line.path("eval").path("s2d").path("r1").asDouble(Double.NaN)};
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-46s %22s %22s%n", "network (test split, 64 px)", "drone->satellite R@1", "satellite->drone R@1"));
        row(sb, "random initialisation", random);
        row(sb, "pretrained start (--weights aerial)", start);
        row(sb, bestEpoch >= 0 ? "DMNIL, no labels (best epoch " + bestEpoch + ")" : "DMNIL, no labels (no epoch beat the start)", trained);
        sb.append(String.format(Locale.ROOT, "%-46s %+15.2f points %+15.2f points%n", "DMNIL's gain over its start", trained[0] - start[0], trained[1] - start[1]));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double[] v) {
        sb.append(String.format(Locale.ROOT, "%-46s %22.2f %22.2f%n", name, v[0], v[1]));
    }
}
