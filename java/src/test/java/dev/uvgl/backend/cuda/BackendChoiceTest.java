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

/** --device emu and cuda produce the CUDA backend; auto stays on the CPU until the conv/GEMM kernels land. */
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
        BackendChoice.UnavailableException e = assertThrows(BackendChoice.UnavailableException.class, () -> BackendChoice.choose("cuda", probe));
        assertTrue(e.getMessage().startsWith("--device cuda: ") && e.getMessage().contains("--device cpu"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test void autoStaysOnTheCpu() {
        assertEquals("cpu", BackendChoice.choose("auto", CudaProbe.run()).backend().name());
    }
}
