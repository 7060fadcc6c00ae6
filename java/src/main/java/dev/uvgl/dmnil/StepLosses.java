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
 * The memory terms are an ordered list, and that order decides the order of their momentum hooks (compute).
 * Every term's value is read to the host in one batched read at the end, so a device waits once for them, not
 * once per term.
 */
final class StepLosses {
    /** The total (with gradient) and every term's value for the metrics. */
    record Terms(Tensor total, Map<String, Double> values) {}

    private final DmnilConfig cfg;
    private final NeighbourTerms neighbours;
    private final int sharedFrom;

    /**
     * @param sharedFrom the first epoch of the shared memories and
     * the after-cmlabel weights (cmlabel, or 0 with true labels)
     */
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
        // The memory terms in forward order. The backward runs nodes newest first, so each memory's momentum hook
        // runs in the reverse of this list: per view DHML drone, DHML satellite, CM satellite, CM drone; shared
        // Sh2 satellite, Sh2 drone, Sh satellite, Sh drone (every shared memory's satellite term before its drone
        // term, as the reference's autograd runs them; MemoryGoldenTest replays that order).
        Map<String, Tensor> terms = new LinkedHashMap<>();
        if (mem instanceof EpochMemories.PerView m) {
            terms.put("cm_drone", m.droneCluster().loss(xd, yd, cfg.tau, false));
            terms.put("cm_satellite", m.satelliteCluster().loss(xs, ys, cfg.tau, false));
            terms.put("dhml_satellite", m.satelliteDhml().loss(xs, ys, cfg));
            terms.put("dhml_drone", m.droneDhml().loss(xd, yd, cfg));
        } else {
            EpochMemories.Shared m = (EpochMemories.Shared) mem;
            boolean forwardTime = !cfg.sharedInterleaved;
            terms.put("shared_drone", m.shared().loss(xd, yd, cfg.tau, forwardTime));
            terms.put("shared_satellite", m.shared().loss(xs, ys, cfg.tau, forwardTime));
            terms.put("shared_s_drone", m.sharedS().loss(xd, yd, cfg.tau, forwardTime));
            terms.put("shared_s_satellite", m.sharedS().loss(xs, ys, cfg.tau, forwardTime));
        }
        values.putAll(terms);
        List<Tensor> t = new ArrayList<>(terms.values());
        // CM = (t0 + t1) + (t2 + t3) per view, (t0 + t1) + (t3 + t2) shared: the reference's association (float
        // addition is not associative).
        Tensor cm = Add.apply(Add.apply(t.get(0), t.get(1)), mem instanceof EpochMemories.PerView
                ? Add.apply(t.get(2), t.get(3)) : Add.apply(t.get(3), t.get(2)));
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
