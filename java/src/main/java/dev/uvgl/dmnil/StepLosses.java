package dev.uvgl.dmnil;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.L2Normalize;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss of one step, dmnil.md section 7 written out: L = CM + w_i I + w_c X. Every term is built
 * here in one place, with the weights from the config, so the sum reads like the specification.
 * Terms are created in an order that makes the backward (newest node first) run each shared
 * memory's satellite term before its drone term, as the reference's autograd does. Every term's value is
 * read to the host in one batched read at the end, so a device waits once for them, not once per term.
 */
final class StepLosses {
    /** The total (with gradient) and every term's value for the metrics. */
    record Terms(Tensor total, Map<String, Double> values) {}

    private final DmnilConfig cfg;
    private final NeighbourTerms neighbours;
    private final int sharedFrom;

    /** @param sharedFrom the first epoch of the shared memories and the after-cmlabel weights (cmlabel, or 0 with true labels) */
    StepLosses(DmnilConfig cfg, int sharedFrom) {
        this.cfg = cfg;
        this.neighbours = new NeighbourTerms(cfg);
        this.sharedFrom = sharedFrom;
    }

    /**
     * @param fDrone [B, D] drone embeddings (with gradient); droneRows their instance-memory rows
     * @param fSat [2B, D] satellite embeddings, first augmented view then second; satRows likewise
     */
    Terms compute(int epoch, EpochMemories mem, Tensor fDrone, int[] droneRows, Tensor fSat, int[] satRows) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        Tensor xd = L2Normalize.apply(fDrone), xs = L2Normalize.apply(fSat);
        int[] yd = pick(mem.droneLabels(), droneRows), ys = pick(mem.satelliteLabels(), satRows);
        Tensor cm;
        if (mem instanceof EpochMemories.PerView m) {
            Tensor cmD = m.droneCluster().loss(xd, yd, cfg.tau, false);
            Tensor cmS = m.satelliteCluster().loss(xs, ys, cfg.tau, false);
            Tensor dhS = m.satelliteDhml().loss(xs, ys, cfg);
            Tensor dhD = m.droneDhml().loss(xd, yd, cfg);
            values.put("cm_drone", cmD);
            values.put("cm_satellite", cmS);
            values.put("dhml_satellite", dhS);
            values.put("dhml_drone", dhD);
            cm = Add.apply(Add.apply(cmD, cmS), Add.apply(dhS, dhD));
        } else {
            EpochMemories.Shared m = (EpochMemories.Shared) mem;
            boolean forwardTime = !cfg.sharedInterleaved;
            Tensor shD = m.shared().loss(xd, yd, cfg.tau, forwardTime);
            Tensor shS = m.shared().loss(xs, ys, cfg.tau, forwardTime);
            Tensor sh2D = m.sharedS().loss(xd, yd, cfg.tau, forwardTime);
            Tensor sh2S = m.sharedS().loss(xs, ys, cfg.tau, forwardTime);
            values.put("shared_drone", shD);
            values.put("shared_satellite", shS);
            values.put("shared_s_drone", sh2D);
            values.put("shared_s_satellite", sh2S);
            cm = Add.apply(Add.apply(shD, shS), Add.apply(sh2S, sh2D));
        }
        values.put("cm", cm);
        Tensor total = cm;
        boolean after = epoch >= sharedFrom;
        double wi = after ? cfg.wIntraAfterCmlabel : cfg.wIntraBeforeCmlabel,
                wc = after ? cfg.wCrossAfterCmlabel : cfg.wCrossBeforeCmlabel;
        if (epoch >= cfg.hm) {
            Tensor intra = neighbours.intra(mem, xd, droneRows, xs, satRows, values);
            values.put("intra", intra);
            total = Add.apply(total, Scale.apply(intra, wi));
        }
        if (epoch >= cfg.ht) {
            Tensor cross = neighbours.cross(epoch, mem, xd, droneRows, xs, satRows, values);
            values.put("cross", cross);
            total = Add.apply(total, Scale.apply(cross, wc));
        }
        values.put("total", total);
        return new Terms(total, read(values));
    }

    /** The terms' values in their insertion order, from one read of every scalar. */
    private static Map<String, Double> read(Map<String, Tensor> terms) {
        List<Tensor> scalars = new ArrayList<>(terms.values());
        double[] v = scalars.get(0).backend().readScalars(scalars);
        Map<String, Double> out = new LinkedHashMap<>();
        int i = 0;
        for (String k : terms.keySet()) out.put(k, v[i++]);
        return out;
    }

    private static int[] pick(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
            if (out[i] < 0) throw new IllegalStateException("row " + rows[i] + " has no pseudo label but was sampled");
        }
        return out;
    }
}
