package dev.uvgl.dmnil.memory.cpu;

import java.util.function.DoubleSupplier;

import dev.uvgl.backend.cpu.KernelProfiler;
import dev.uvgl.dmnil.memory.MemoryOps;
import dev.uvgl.tensor.Tensor;

/**
 * The memory ops of the CPU backend: float32 for training, float64 for gradient checks, from one source
 * (F32MemoryOps). Every op dispatches on its first tensor's precision, as CpuBackend's kernels do.
 */
public final class CpuMemoryOps implements MemoryOps {
    public static final CpuMemoryOps INSTANCE = new CpuMemoryOps();

    private CpuMemoryOps() {}

    private static MemoryOps ops(Tensor t) {
        MemoryOps ops = switch (t.dtype()) {
            case F32 -> F32MemoryOps.INSTANCE;
            case F64 -> F64MemoryOps.INSTANCE;
        };
        return KernelProfiler.wrap(MemoryOps.class, ops);
    }

    @Override public void memoryMomentumUpdateInPlace(Tensor memory, int[] rows, Tensor x, double momentum) {
        ops(memory).memoryMomentumUpdateInPlace(memory, rows, x, momentum);
    }

    @Override public Tensor[] memoryCrossEntropy(Tensor x, Tensor memory, int[] labels, double tau) {
        return ops(x).memoryCrossEntropy(x, memory, labels, tau);
    }

    @Override
    public Tensor memoryCrossEntropyBackward(Tensor x, Tensor memory, Tensor product, int[] labels, double tau,
                                                       Tensor logSumExp, Tensor gLoss) {
        return ops(x).memoryCrossEntropyBackward(x, memory, product, labels, tau, logSumExp, gLoss);
    }

    @Override public DoubleSupplier dhmlBanksUpdateInPlace(Tensor shortTerm, Tensor longTerm, int[] labels, Tensor x,
                                                           double stNew, double stOld) {
        return ops(x).dhmlBanksUpdateInPlace(shortTerm, longTerm, labels, x, stNew, stOld);
    }

    @Override public int[][] neighbourMask(Tensor q1, Tensor k1, Tensor q2, Tensor k2, int[] rows, double ratio) {
        return ops(q1).neighbourMask(q1, k1, q2, k2, rows, ratio);
    }
}
