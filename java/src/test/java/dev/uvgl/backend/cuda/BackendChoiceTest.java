package dev.uvgl.backend.cuda;

import dev.uvgl.backend.BackendChoice;
import dev.uvgl.device.CudaProbe;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --device emu and cuda produce the CUDA backend; auto takes the GPU when one opens, else the CPU, and says why. */
class BackendChoiceTest {
    @Test void emuIsTheCudaBackendOnTheEmulatedDevice() {
        BackendChoice.Choice c = BackendChoice.choose("emu", CudaProbe.run());
        CudaBackend be = assertInstanceOf(CudaBackend.class, c.backend());
        assertTrue(c.reason().contains("emulated"), c.reason());
        Tensor t = be.fromArray(new float[] {1, 2, 3}, Shape.of(3));
        assertArrayEquals(new float[] {2, 4, 6}, be.add(t, t).toFloatArray());
        be.close();
    }

    @Test void cudaWithoutAGpuIsOneLineNamingTheFix() {
        CudaProbe.Result probe = CudaProbe.run();
        if (probe.gpuPresent()) {
            try (CudaBackend be = assertInstanceOf(CudaBackend.class, BackendChoice.choose("cuda", probe).backend())) {
                assertTrue(be.name().equals("cuda"));
            }
            return;
        }
        BackendChoice.UnavailableException e = assertThrows(BackendChoice.UnavailableException.class,
                () -> BackendChoice.choose("cuda", probe));
        assertTrue(e.getMessage().startsWith("--device cuda: ") && e.getMessage().contains("--device cpu"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test void autoTakesTheGpuOnlyWhenOneIsThere() {
        CudaProbe.Result probe = CudaProbe.run();
        BackendChoice.Choice c = BackendChoice.choose("auto", probe);
        assertEquals(probe.gpuPresent() ? "cuda" : "cpu", c.backend().name(), c.reason());
        assertTrue(c.reason().startsWith("auto: "), c.reason());
        if (c.backend() instanceof CudaBackend be) be.close();
    }
}
