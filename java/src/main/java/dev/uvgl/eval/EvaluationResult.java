package dev.uvgl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every direction's numbers with what they were measured on
 * (benchmarks.md section 3: dataset, split, size, checkpoint, command).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationResult(String dataset, String split, String protocol, int imageSize,
                               Map<String, String> provenance,
                               int skippedImages, List<RetrievalMetrics> directions) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the evaluation result", e);
        }
    }

    /** A fixed-width table, one row per direction. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s, %s split, %s protocol, %d px%s%n", dataset, split,
                protocol, imageSize,
                skippedImages > 0 ? ", " + skippedImages + " unreadable images skipped" : ""));
        if (provenance != null) provenance.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        sb.append(String.format(Locale.ROOT, "%-18s %7s %8s %7s %7s %7s %8s %7s%n", "direction", "queries", "gallery",
                "R@1", "R@5", "R@10", "R@top1%", "AP"));
        for (RetrievalMetrics m : directions) {
            sb.append(String.format(Locale.ROOT, "%-18s %7d %8s %7.2f %7.2f %7.2f %8.2f %7.2f%n", m.direction(),
                    m.queries(),
                    m.rankedGallery() == m.gallery() ? String.valueOf(m.gallery())
                    : m.rankedGallery() + "/" + m.gallery(),
                    m.recallAt1(), m.recallAt5(), m.recallAt10(), m.recallAtTop1Percent(), m.ap()));
            if (m.localisation() != null)
                sb.append(String.format(Locale.ROOT,
                        "  top-1 position error: median %.1f m, %.2f%% under 25 m, %.2f%% under 100 m (%d queries)%n",
                        m.localisation().medianMetres(), m.localisation().under25m(), m.localisation().under100m(),
                        m.localisation().queries()));
            if (m.sdm() != null)
                sb.append(String.format(Locale.ROOT, "  SDM@1 %.2f  SDM@3 %.2f  SDM@5 %.2f  SDM@10 %.2f%n", m.sdm()[0],
                        m.sdm()[1], m.sdm()[2], m.sdm()[3]));
        }
        return sb.toString();
    }
}
