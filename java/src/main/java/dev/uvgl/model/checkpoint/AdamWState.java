package dev.uvgl.model.checkpoint;

import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.nn.Parameter;
import dev.uvgl.nn.optim.AdamW;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW's moments as two checkpoint sections keyed by parameter name (first moments, second moments); the
 * step count that drives the bias corrections is the checkpoint's step. A parameter that has not stepped
 * has no entry, as in torch's state_dict.
 */
public final class AdamWState {
    public static final String FIRST = "adamw_m", SECOND = "adamw_v";

    private AdamWState() {}

    /**
     * @param names  the parameters' names, in the order the optimiser was given them
     * @param prefix before both section names, for a second optimiser in the same checkpoint ("" for the model's)
     */
    public static void export(AdamW opt, List<String> names, Map<String, Map<String, HostArray>> sections,
            String prefix) {
        Map<String, HostArray> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Tensor a = opt.firstMoment(i), b = opt.secondMoment(i);
            if (a == null) continue;
            m.put(names.get(i), new HostArray(a.shape().dims(), a.toFloatArray()));
            v.put(names.get(i), new HostArray(b.shape().dims(), b.toFloatArray()));
        }
        sections.put(prefix + FIRST, m);
        sections.put(prefix + SECOND, v);
    }

    /** Restores every moment after checking all of them, so a mismatch changes nothing. */
    public static void restore(AdamW opt, Map<String, Parameter> params, Checkpoint c, String source,
            String prefix) throws WeightFileException {
        Map<String, HostArray> m = c.section(prefix + FIRST).orElse(Map.of()),
                v = c.section(prefix + SECOND).orElse(Map.of());
        if (!m.keySet().equals(v.keySet()))
            throw new WeightFileException(source
                    + ": AdamW's two moments name different parameters; the file is damaged");
        for (var e : m.entrySet()) {
            Parameter p = params.get(e.getKey());
            if (p == null)
                throw new WeightFileException(source + ": optimiser state for unknown parameter " + e.getKey()
                        + "; the checkpoint is from another model");
            for (HostArray a : List.of(e.getValue(), v.get(e.getKey())))
                if (!Arrays.equals(p.value().shape().dims(), a.shape()))
                    throw new WeightFileException(source + ": optimiser state " + e.getKey() + " has shape "
                            + a.shapeString()
                            + ", the parameter " + p.value().shape() + "; the checkpoint is from another model");
        }
        List<String> names = List.copyOf(params.keySet());
        for (int i = 0; i < names.size(); i++) {
            HostArray a = m.get(names.get(i));
            Tensor pv = params.get(names.get(i)).value();
            if (a == null) { opt.restore(i, null, null); continue; }
            opt.restore(i, upload(pv, a), upload(pv, v.get(names.get(i))));
        }
        opt.setSteps(c.step());
    }

    private static Tensor upload(Tensor like, HostArray a) {
        return like.backend().toDType(like.backend().fromArray(a.data(), Shape.of(a.shape())), like.dtype());
    }
}
