package dev.uvgl.eval;

import dev.uvgl.backend.Backend;

import java.util.Arrays;

/**
 * Scores queries against a gallery (dot products through the backend, in blocks) and computes
 * University-1652's CMC and AP, Recall@top1% as its code reads it, the top-1 localisation error
 * where positions are known, and DenseUAV's SDM@K when asked for.
 */
public final class RetrievalEvaluator {
    private static final double EARTH_RADIUS_M = 6_371_008.8;

    private final Backend backend;
    private final long maxBlockFloats;

    public RetrievalEvaluator(Backend backend) { this(backend, 32L << 20); }

    /** `maxBlockFloats`: the most query x gallery scores held at once. */
    RetrievalEvaluator(Backend backend, long maxBlockFloats) {
        this.backend = backend;
        this.maxBlockFloats = maxBlockFloats;
    }

    public RetrievalMetrics evaluate(String direction, Features q, Features g, Protocol protocol, boolean sdm) {
        if (q.dim() != g.dim())
            throw new IllegalArgumentException("query features have " + q.dim() + " dims, gallery " + g.dim());
        boolean[] junk = protocol.junk(q.ids(), g.ids());
        int cutoff = (int) Math.rint(0.01 * g.n()); // Python's round(): half to even
        int topK = 10;
        double[] apOf = new double[q.n()];
        int[] firstGood = new int[q.n()];
        int[][] tops = new int[q.n()][];
        Similarity.blocks(backend, q.data(), q.n(), g.data(), g.n(), q.dim(), maxBlockFloats, (q0, rows, scores) -> {
            for (int r = 0; r < rows; r++) {
                QueryRanking rk = QueryRanking.of(scores, r * g.n(), g.n(), q.ids()[q0 + r], g.ids(), junk, topK);
                // A query with no good item counts in the denominators
                // with AP 0 and no hit, as in University-1652's code.
                firstGood[q0 + r] = rk.goodRanks.length == 0 ? Integer.MAX_VALUE : rk.goodRanks[0];
                apOf[q0 + r] = rk.goodRanks.length == 0 ? 0 : rk.averagePrecision();
                tops[q0 + r] = rk.top;
            }
        });
        double ap = 0;
        for (double a : apOf) ap += a;
        int ranked = 0;
        for (boolean j : junk) if (!j) ranked++;
        return new RetrievalMetrics(direction, protocol.name().toLowerCase(), q.n(), g.n(), ranked,
                recall(firstGood, 1), recall(firstGood, 5), recall(firstGood, 10),
                recall(firstGood, cutoff + 1), cutoff,
                100 * (ap / Math.max(1, q.n())),
                q.hasPositions() && g.hasPositions() ? localisation(q, g, tops) : null,
                sdm && q.hasPositions() && g.hasPositions() ? sdm(q, g, tops) : null);
    }

    private static double recall(int[] firstGood, int k) {
        int hits = 0;
        for (int f : firstGood) if (f < k) hits++;
        return 100 * ((double) hits / Math.max(1, firstGood.length)); // the fraction first, as University-1652's CMC is
    }

    private static RetrievalMetrics.Localisation localisation(Features q, Features g, int[][] tops) {
        double[] err = new double[q.n()];
        int n = 0;
        for (int i = 0; i < q.n(); i++) {
            if (tops[i].length == 0 || Double.isNaN(q.lat()[i]) || Double.isNaN(g.lat()[tops[i][0]])) continue;
            int t = tops[i][0];
            err[n++] = haversine(q.lat()[i], q.lon()[i], g.lat()[t], g.lon()[t]);
        }
        if (n == 0) return null;
        double[] e = Arrays.copyOf(err, n);
        Arrays.sort(e);
        double median = n % 2 == 1 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2;
        int u25 = 0, u100 = 0;
        for (double d : e) {
            if (d < 25) u25++;
            if (d < 100) u100++;
        }
        return new RetrievalMetrics.Localisation(n, median, 100.0 * u25 / n, 100.0 * u100 / n);
    }

    /** DenseUAV's SDM@K on (lon, lat) degrees: rank-weighted exp(-5000 d) over the top K, averaged over queries. */
    private static double[] sdm(Features q, Features g, int[][] tops) {
        int[] ks = RetrievalMetrics.SDM_K;
        double[] out = new double[ks.length];
        for (int a = 0; a < ks.length; a++) {
            int k = ks[a];
            double total = 0;
            for (int i = 0; i < q.n(); i++) {
                double num = 0, den = 0;
                for (int r = 0; r < Math.min(k, tops[i].length); r++) {
                    int t = tops[i][r];
                    double d = Math.hypot(q.lon()[i] - g.lon()[t], q.lat()[i] - g.lat()[t]);
                    double w = 1 - (double) r / k;
                    num += w * Math.exp(-5000 * d);
                    den += w;
                }
                total += den == 0 ? 0 : num / den;
            }
            out[a] = 100 * total / Math.max(1, q.n());
        }
        return out;
    }

    public static double haversine(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1), p2 = Math.toRadians(lat2);
        double dp = p2 - p1, dl = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2)
                + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
