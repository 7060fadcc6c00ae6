package dev.uvgl.model.checkpoint;

import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.nn.Parameter;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD's momentum buffers as a checkpoint section, keyed by parameter name (the optimiser holds them
 * by index, in the order of the parameter list it was built with). A parameter that has not had a
 * step yet has no buffer and no entry, as in torch's state_dict.
 */
public final class SgdState {
    private SgdState() {}

    /** @param names the parameters' names, in the order the optimiser was given them */
    public static Map<String, HostArray> export(Sgd sgd, List<String> names) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Tensor b = sgd.momentumBuffer(i);
            if (b != null) out.put(names.get(i), new HostArray(b.shape().dims(), b.toFloatArray()));
        }
        return out;
    }

    /** Restores every buffer after checking all of them, so a mismatch changes nothing. */
    public static void restore(Sgd sgd, Map<String, Parameter> params, Map<String, HostArray> state,
            String source) throws WeightFileException {
        List<String> names = List.copyOf(params.keySet());
        for (var e : state.entrySet()) {
            Parameter p = params.get(e.getKey());
            if (p == null)
                throw new WeightFileException(source + ": optimiser state for unknown parameter " + e.getKey()
                        + "; the checkpoint is from another model");
            if (!Arrays.equals(p.value().shape().dims(), e.getValue().shape()))
                throw new WeightFileException(source + ": optimiser state " + e.getKey() + " has shape "
                        + e.getValue().shapeString()
                        + ", the parameter " + p.value().shape() + "; the checkpoint is from another model");
        }
        for (int i = 0; i < names.size(); i++) {
            HostArray a = state.get(names.get(i));
            Tensor pv = params.get(names.get(i)).value();
            Tensor buf = a == null ? null
                    : pv.backend().toDType(pv.backend().fromArray(a.data(), Shape.of(a.shape())), pv.dtype());
            sgd.setMomentumBuffer(i, buf);
        }
    }
}
