package dev.uvgl.autograd.ops;

import dev.uvgl.tensor.Shape;
import dev.uvgl.testing.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReshapeTest {
    @Test void inferredDimension() {
        var t = dev.uvgl.backend.cpu.CpuBackend.INSTANCE.zeros(Shape.of(2, 3, 4), dev.uvgl.tensor.DType.F32);
        assertEquals(Shape.of(6, 4), Reshape.apply(t, -1, 4).shape());
        assertThrows(IllegalArgumentException.class, () -> Reshape.apply(t, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> Reshape.apply(t, -1, -1));
    }

    @Test void gradients() {
        GradCheck.of(1, in -> Mul.apply(Reshape.apply(in[0], -1, 6), in[1])).input(2, 3, 2).input(6).assertPasses();
    }
}
