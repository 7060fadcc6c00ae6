package dev.uvgl.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a probe measures on its world after some steps, for the report only (never a choice): retrieval
 * both ways, and how DMNIL's first clustering would group the probe world's drone photos (purity against
 * the hidden folders, clusters, and the share of photos clustered at all).
 */
public record ProbeFigures(double d2sR1, double d2sAp, double s2dR1, double dronePurity, double droneAri,
                    int droneClusters,
                    double droneClustered, double seconds) {
    public void into(ObjectNode line) {
        ObjectNode p = line.putObject("probe");
        p.put("d2s_r1", d2sR1);
        p.put("d2s_ap", d2sAp);
        p.put("s2d_r1", s2dR1);
        p.put("drone_purity", dronePurity);
        p.put("drone_ari", droneAri);
        p.put("drone_clusters", droneClusters);
        p.put("drone_clustered", droneClustered);
        p.put("seconds", seconds);
    }

    public String summary() {
        return String.format("probe: drone->satellite R@1 %.2f AP %.2f, satellite->drone R@1 %.2f, "
                        + "drone purity %.3f (%d clusters, %.0f%% clustered)",
                d2sR1, d2sAp, s2dR1, dronePurity, droneClusters, 100 * droneClustered);
    }
}
