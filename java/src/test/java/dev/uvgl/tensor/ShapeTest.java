package dev.uvgl.tensor;

import dev.uvgl.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeTest {
    @Test void stridesAreRowMajor() {
        Shape s = Shape.of(2, 3, 4);
        assertArrayEquals(new int[] {12, 4, 1}, s.strides());
        assertEquals(24, s.numel());
        assertEquals(4, s.dim(-1));
        assertEquals(2, s.outer(1));
        assertEquals(4, s.inner(1));
        assertEquals(Shape.of(2, 4), s.reduce(1, false));
        assertEquals(Shape.of(2, 1, 4), s.reduce(-2, true));
        assertTrue(s.endsWith(Shape.of(3, 4)));
        assertFalse(s.endsWith(Shape.of(2, 4)));
        assertEquals(1, Shape.of().numel());
    }

    @Test void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).dim(2));
    }

    @Test void tensorsCheckTheirStorageAndViews() {
        Tensor t = CpuBackend.INSTANCE.fromArray(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.view(Shape.of(3, 2)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> t.view(Shape.of(4)));
        assertThrows(IllegalArgumentException.class, () -> CpuBackend.INSTANCE.fromArray(new float[5], Shape.of(2, 3)));
        assertThrows(IllegalStateException.class, t::item);
        assertEquals(6.0, CpuBackend.INSTANCE.fromArray(new double[] {6}, Shape.of()).item());
    }

    @Test void mixingPrecisionsIsAnError() {
        var be = CpuBackend.INSTANCE;
        Tensor f = be.zeros(Shape.of(3), DType.F32), d = be.zeros(Shape.of(3), DType.F64);
        var e = assertThrows(IllegalArgumentException.class, () -> be.add(f, d));
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
    }
}
