package dev.uvgl.eval;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The numbers of one direction of the protocol (benchmarks.md section 3), in percent except the
 * distances. Localisation and SDM are null when the sets carry no positions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrievalMetrics(
        String direction, String protocol, int queries, int gallery, int rankedGallery,
        double recallAt1, double recallAt5, double recallAt10, double recallAtTop1Percent,
        int top1PercentCutoff, double ap,
        Localisation localisation, double[] sdm) {

    /** Great-circle error of each query's top-1 item: median metres and the share (percent) under 25 m and 100 m. */
    public record Localisation(int queries, double medianMetres, double under25m, double under100m) {}

    /** K values of the sdm array. */
    public static final int[] SDM_K = {1, 3, 5, 10};
}
