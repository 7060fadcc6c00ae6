package dev.uvgl.backend.cuda;

import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.uvgl.backend.cuda.EmuBackends.emu;
import static dev.uvgl.backend.cuda.EmuBackends.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device memory is freed by scopes: the live-block count catches a leak, and a freed tensor cannot be read. */
class DeviceScopeTest {
    @AfterAll static void giveTheMemoryBack() { EmuBackends.release(); }

    @Test void aScopeFreesEverythingItMadeIncludingScratch() {
        CudaBackend be = emu();
        int before = be.liveBlocks();
        try (DeviceScope s = be.scope()) {
            Tensor x = be.fromArray(random(1, 60, -1, 1), Shape.of(4, 15));
            Tensor y = be.softmax(be.add(x, x));
            be.sum(y, 0, false);
            be.layerNormBackward(x, be.full(Shape.of(15), DType.F32, 1), be.zeros(Shape.of(4), DType.F32),
                    be.full(Shape.of(4), DType.F32, 1), y, -1);
            be.topk(x, 3);
            assertTrue(be.liveBlocks() > before);
            assertEquals(be.liveBlocks() - before, s.size(), "only tensors are live; op scratch went back already");
        }
        assertEquals(before, be.liveBlocks());
    }

    @Test void keptTensorsOutliveTheirScopeAndReleasedOnesAreTheCallersToClose() {
        CudaBackend be = emu();
        int before = be.liveBlocks();
        Tensor kept, released;
        try (DeviceScope outer = be.scope()) {
            try (DeviceScope inner = be.scope()) {
                kept = be.full(Shape.of(3), DType.F32, 2);
                released = be.full(Shape.of(2), DType.F32, 5);
                be.zeros(Shape.of(9), DType.F32);
                inner.keep(kept);
                inner.release(released);
            }
            assertEquals(before + 2, be.liveBlocks());
            assertArrayEquals(new float[] {2, 2, 2}, kept.toFloatArray());
            assertEquals(1, outer.size());
        }
        assertEquals(before + 1, be.liveBlocks(),
                "the outer scope freed the kept tensor; the released one is still live");
        assertArrayEquals(new float[] {5, 5}, released.toFloatArray());
        released.close();
        released.close();  // idempotent
        assertEquals(before, be.liveBlocks());
    }

    @Test void theLiveCountSeesALeak() {
        CudaBackend be = emu();
        int before = be.liveBlocks();
        Tensor leaked = be.zeros(Shape.of(8), DType.F32);  // made outside any scope and never closed
        assertEquals(before + 1, be.liveBlocks());
        leaked.close();
        assertEquals(before, be.liveBlocks());
    }

    @Test void aFreedTensorIsAnErrorNotGarbage() {
        CudaBackend be = emu();
        Tensor t;
        try (DeviceScope s = be.scope()) {
            t = be.full(Shape.of(4), DType.F32, 1);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("used after it was freed") && e.getMessage().contains("keep"),
                e.getMessage());
    }

    @Test void scopesCloseInnermostFirst() {
        CudaBackend be = emu();
        DeviceScope outer = be.scope();
        DeviceScope inner = be.scope();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }
}
