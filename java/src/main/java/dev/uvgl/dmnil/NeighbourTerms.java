package dev.uvgl.dmnil;

import dev.uvgl.autograd.ops.Add;
import dev.uvgl.autograd.ops.Scale;
import dev.uvgl.dmnil.loss.ConsistencyRegulariser;
import dev.uvgl.dmnil.loss.NeighbourLoss;
import dev.uvgl.dmnil.loss.NeighbourMask;
import dev.uvgl.dmnil.memory.InstanceMemory;
import dev.uvgl.tensor.Tensor;

import java.util.Map;

/**
 * The neighbour-consistency terms of dmnil.md section 7. The reference's two paths see the same
 * embedding and equal instance memories, so a path's loss N and its `_s` twin N_s are the same number:
 * each is computed once and weighted by the sum of both paths' weights (0 for the reference's zeroed
 * main paths). The memory the loss holds is the live one unless im_updated_in_backward is off, in
 * which case it is a copy taken at the forward.
 */
final class NeighbourTerms {
    private final DmnilConfig cfg;

    NeighbourTerms(DmnilConfig cfg) { this.cfg = cfg; }

    /** I = intra_main_weight * (N(sat) + N(dro)) + lamda_s * (N_s(sat) + N_s(dro)). */
    Tensor intra(EpochMemories mem, Tensor xd, int[] droneRows, Tensor xs, int[] satRows, Map<String, Tensor> values) {
        Tensor sat = neighbourLoss(xs, gather(mem.satelliteInstances().rows(), satRows), mem.satelliteInstances());
        Tensor dro = neighbourLoss(xd, gather(mem.droneInstances().rows(), droneRows), mem.droneInstances());
        values.put("intra_satellite", sat);
        values.put("intra_drone", dro);
        return Scale.apply(Add.apply(sat, dro), cfg.intraMainWeight + cfg.lamdaS);
    }

    /**
     * Even epochs satellite->drone: 0.5 N + 0.01 KL_10 + 0.05 N_s; odd epochs drone->satellite:
     * 0 * (N + 0.01 KL) + 0.5 N_s (the regulariser is left out when its path's weight is 0).
     */
    Tensor cross(int epoch, EpochMemories mem, Tensor xd, int[] droneRows, Tensor xs, int[] satRows, Map<String,
            Tensor> values) {
        boolean even = epoch % 2 == 0;
        InstanceMemory from = even ? mem.satelliteInstances() : mem.droneInstances(),
                to = even ? mem.droneInstances() : mem.satelliteInstances();
        Tensor x = even ? xs : xd;
        int[] rows = even ? satRows : droneRows;
        Tensor queries = gather(from.rows(), rows);
        Tensor n = neighbourLoss(x, queries, to);
        double mainWeight = even ? cfg.crossEvenMain : cfg.crossOddMain,
                sWeight = even ? cfg.crossEvenS : cfg.crossOddS;
        values.put(even ? "cross_sat_to_drone" : "cross_drone_to_sat", n);
        Tensor out = Scale.apply(n, mainWeight + sWeight);
        if (mainWeight != 0 && cfg.klWeight != 0) {
            int[] top = ConsistencyRegulariser.topIndices(queries, to.rows(), cfg.klTopk);
            ConsistencyRegulariser.Form form = cfg.klForm.equals("per_row") ? ConsistencyRegulariser.Form.PER_ROW
                    : ConsistencyRegulariser.Form.REFERENCE;
            Tensor kl = ConsistencyRegulariser.apply(x, memoryForLoss(to), top, cfg.klTopk, form);
            values.put("kl", kl);
            out = Add.apply(out, Scale.apply(kl, cfg.klWeight));
        }
        return out;
    }

    /** The batch's memory rows (queries) against all of `to`: mask, then the loss of x against `to`. */
    private Tensor neighbourLoss(Tensor x, Tensor queries, InstanceMemory to) {
        NeighbourMask mask = NeighbourMask.of(queries, to.rows(), queries, to.rows(), cfg.neighbourThresh);
        return NeighbourLoss.apply(x, memoryForLoss(to), mask, cfg.tau);
    }

    private Tensor memoryForLoss(InstanceMemory m) {
        return cfg.imUpdatedInBackward ? m.rows() : m.rows().backend().copy(m.rows());
    }

    static Tensor gather(Tensor memory, int[] rows) { return memory.backend().gatherRows(memory, rows); }
}
