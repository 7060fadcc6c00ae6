package dev.uvgl.dmnil.memory;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.dmnil.memory.cpu.CpuMemoryOps;
import dev.uvgl.dmnil.memory.cuda.CudaMemoryOps;

/** Which {@link MemoryOps} serve a backend's tensors: the CUDA kernels on a CUDA backend, else the host code. */
public final class BackendMemoryOps {
    private BackendMemoryOps() {}

    public static MemoryOps of(Backend backend) {
        return backend instanceof CudaBackend cuda ? new CudaMemoryOps(cuda) : CpuMemoryOps.INSTANCE;
    }
}
