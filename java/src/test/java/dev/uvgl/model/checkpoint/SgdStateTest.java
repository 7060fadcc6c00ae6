package dev.uvgl.model.checkpoint;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.harness.TrainStep;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.model.weights.WeightFileException;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SgdStateTest {
    static final ConvNeXtConfig CFG = new ConvNeXtConfig("t", new int[] {1, 1, 1, 1}, new int[] {8, 8, 8, 8});

    @Test void buffersRoundTripByName() throws WeightFileException {
        ConvNeXt m = new ConvNeXt(CFG, CpuBackend.INSTANCE, DType.F32, 1);
        var params = m.namedParameters();
        List<String> names = List.copyOf(params.keySet());
        Sgd a = new Sgd(m.parameters(), 0.1, 0.9, 0);
        assertEquals(0, SgdState.export(a, names).size(), "no buffers before the first step");
        params.values().forEach(p -> p.value().setGrad(CpuBackend.INSTANCE.full(p.value().shape(), DType.F32, 0.5)));
        a.step();
        Map<String, HostArray> saved = SgdState.export(a, names);
        assertEquals(names.size(), saved.size());
        Sgd b = new Sgd(m.parameters(), 0.1, 0.9, 0);
        SgdState.restore(b, params, saved, "ckpt");
        for (int i = 0; i < names.size(); i++)
            assertArrayEquals(a.momentumBuffer(i).toFloatArray(), b.momentumBuffer(i).toFloatArray(), names.get(i));
    }

    @Test void aMismatchChangesNothing() {
        ConvNeXt m = new ConvNeXt(CFG, CpuBackend.INSTANCE, DType.F32, 1);
        Sgd s = new Sgd(m.parameters(), 0.1, 0.9, 0);
        var bad = Map.of("norm.weight", new HostArray(new int[] {8}, new float[8]), "stages.0.0.gamma",
                new HostArray(new int[] {9}, new float[9]));
        assertThrows(WeightFileException.class, () -> SgdState.restore(s, m.namedParameters(), bad, "ckpt"));
        for (int i = 0; i < m.parameters().size(); i++) assertNull(s.momentumBuffer(i));
    }

    @Test void aTrainStepLowersTheLossOfItsOwnBatch() {
        ConvNeXt m = new ConvNeXt(CFG, CpuBackend.INSTANCE, DType.F32, 2);
        TrainStep step = new TrainStep(m, CpuBackend.INSTANCE, 2, 32, 3);
        double first = step.run();
        double later = first;
        for (int i = 0; i < 5; i++) later = step.run();
        assertEquals(true, later < first, "loss " + first + " -> " + later);
    }
}
