package dev.uvgl.eval.locate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * `locate`'s stdout: what was searched (provenance), then per photo its estimate and its hits with score and position.
 */
public final class LocateJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LocateJson() {}

    /** @param about provenance fields (gallery, checkpoint, model, size, ...), written first in order */
    public static String of(Map<String, Object> about, Path positionFile, List<Locator.Answer> answers) {
        ObjectNode root = JSON.createObjectNode();
        about.forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
        if (positionFile == null) root.putNull("gps");
        else root.put("gps", slashes(positionFile));
        root.put("estimate_method", Locator.ESTIMATE_METHOD);
        ArrayNode qs = root.putArray("queries");
        for (Locator.Answer a : answers) {
            ObjectNode q = qs.addObject();
            q.put("path", slashes(a.query()));
            if (a.estimate() == null) q.putNull("estimate");
            else q.putObject("estimate").put("lat", a.estimate().lat()).put("lon", a.estimate().lon())
                    .put("from_rank", a.estimate().rank());
            ArrayNode hits = q.putArray("hits");
            for (Locator.Hit h : a.hits()) {
                ObjectNode o = hits.addObject().put("rank", h.rank()).put("path", slashes(h.path()))
                        .put("score", h.score());
                if (h.position() == null) o.putNull("lat").putNull("lon");
                else o.put("lat", h.position()[0]).put("lon", h.position()[1]);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static String slashes(Path p) { return p.toString().replace('\\', '/'); }
}
