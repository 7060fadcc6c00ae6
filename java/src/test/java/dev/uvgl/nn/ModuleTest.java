package dev.uvgl.nn;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    static final class Block extends Module {
        Block() {
            register(new Parameter("weight", CpuBackend.INSTANCE.zeros(Shape.of(2, 3), DType.F32)));
            register(new Parameter("bias", CpuBackend.INSTANCE.zeros(Shape.of(2), DType.F32)));
        }
    }

    static final class Stage extends Module {
        Stage(int blocks) { for (int i = 0; i < blocks; i++) register(String.valueOf(i), new Block()); }
    }

    static final class Net extends Module {
        final Block stem;

        Net() {
            stem = register("stem", new Block());
            Module stages = register("stages", new Module() {});
            stages.register("0", new Module() {}).register("blocks", new Stage(2));
            stages.register("1", new Module() {}).register("blocks", new Stage(1));
        }
    }

    @Test void namesFollowPyTorchStateDictOrder() {
        List<String> names = List.copyOf(new Net().namedParameters().keySet());
        assertEquals(List.of("stem.weight", "stem.bias",
                "stages.0.blocks.0.weight", "stages.0.blocks.0.bias", "stages.0.blocks.1.weight",
                "stages.0.blocks.1.bias",
                "stages.1.blocks.0.weight", "stages.1.blocks.0.bias"), names);
        assertEquals(4 * (6 + 2), new Net().parameterCount());
    }

    @Test void trainAndEvalReachEveryChild() {
        Net net = new Net();
        assertTrue(net.isTraining());
        net.eval();
        assertFalse(net.isTraining());
        assertFalse(net.stem.isTraining());
        net.train(true);
        assertTrue(net.stem.isTraining());
        assertThrows(IllegalArgumentException.class, () -> net.register("stem", new Block()));
    }

    @Test void parametersRequireGradAndKeepTheirShape() {
        Block b = new Block();
        Parameter w = b.parameters().get(0);
        assertTrue(w.value().requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> w.set(CpuBackend.INSTANCE.zeros(Shape.of(3, 2), DType.F32)));
    }
}
