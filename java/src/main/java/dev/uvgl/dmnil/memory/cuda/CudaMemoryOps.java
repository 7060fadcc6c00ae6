package dev.uvgl.dmnil.memory.cuda;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

import dev.uvgl.backend.cuda.CudaBackend.Scratch;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.dmnil.memory.MemoryOps;
import dev.uvgl.dmnil.memory.MemoryShapes;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The memory ops on a CUDA backend (a GPU or the emulated device): shapes checked here, int32 labels uploaded,
 * kernels launched through {@link MemoryKernels} under the backend's lock (its allocator is not thread-safe).
 */
public final class CudaMemoryOps implements MemoryOps {
    private final CudaBackend cuda;

    public CudaMemoryOps(CudaBackend cuda) { this.cuda = cuda; }

    @Override public void memoryMomentumUpdateInPlace(Tensor memory, int[] rows, Tensor x, double momentum) {
        MemoryShapes.check("memoryMomentumUpdate", memory, rows, x);
        if (rows.length == 0) return;
        try (Scratch r = cuda.upload(rows, "memory rows")) {
            synchronized (cuda) {
                MemoryKernels.momentumUpdate(cuda.device(), cuda.address(memory), memory.dim(0), memory.dim(1),
                        r.address(), cuda.address(x), rows.length, momentum);
            }
        }
    }

    @Override public int[][] neighbourMask(Tensor q1, Tensor k1, Tensor q2, Tensor k2, int[] rows, double ratio) {
        MemoryShapes.checkNeighbourMask(q1, k1, q2, k2, rows);
        int b = rows.length, n = k1.dim(0), words = MemoryKernels.maskWords(n);
        int[][] out = new int[b][];
        if (b == 0) return out;
        if (n == 0 || q1.dim(1) == 0) {
            Arrays.fill(out, new int[0]);
            return out;
        }
        // Counts first, then the bits, in one buffer: one read to the host, not two.
        int[] both;
        try (Scratch r = cuda.upload(rows, "neighbour mask rows");
             Scratch w = cuda.scratch(4L * (b + (long) b * words), "neighbour counts and mask bits")) {
            synchronized (cuda) {
                MemoryKernels.neighbourMask(cuda.device(), cuda.allocator(), w.address() + 4L * b, w.address(),
                        cuda.address(q1),
                        cuda.address(q2), r.address(), b, cuda.address(k1), cuda.address(k2), n, q1.dim(1),
                        (float) ratio);
            }
            both = cuda.download(w.address(), b + b * words);
        }
        int[] counts = Arrays.copyOf(both, b), bits = Arrays.copyOfRange(both, b, both.length);
        for (int i = 0; i < b; i++) {
            int[] cols = new int[counts[i]];
            int t = 0;
            for (int wd = 0; wd < words; wd++)
                for (int word = bits[i * words + wd]; word != 0; word &= word - 1)
                    cols[t++] = 32 * wd + Integer.numberOfTrailingZeros(word);
            out[i] = cols;
        }
        return out;
    }

    @Override public Tensor[] memoryCrossEntropy(Tensor x, Tensor memory, int[] labels, double tau) {
        MemoryShapes.check("memoryCrossEntropy", memory, labels, x);
        Tensor loss = cuda.newTensor(Shape.of(), "memory cross-entropy loss");
        Tensor lse = cuda.newTensor(Shape.of(labels.length), "memory cross-entropy log-sum-exp");
        try (Scratch l = cuda.upload(labels, "memory labels")) {
            synchronized (cuda) {
                MemoryKernels.crossEntropyForward(cuda.device(), cuda.allocator(), cuda.address(loss),
                        cuda.address(lse),
                        cuda.address(x), cuda.address(memory), l.address(), labels.length, memory.dim(0),
                        memory.dim(1), tau);
            }
        }
        return new Tensor[] {loss, lse};
    }

    @Override
    public Tensor memoryCrossEntropyBackward(Tensor x, Tensor memory, Tensor product, int[] labels, double tau,
                                                       Tensor logSumExp, Tensor gLoss) {
        MemoryShapes.check("memoryCrossEntropyBackward", memory, labels, x);
        MemoryShapes.checkSameShape("memoryCrossEntropyBackward", memory, product);
        Tensor dx = cuda.newTensor(x.shape(), "memory cross-entropy dx");
        try (Scratch l = cuda.upload(labels, "memory labels")) {
            synchronized (cuda) {
                MemoryKernels.crossEntropyBackward(cuda.device(), cuda.allocator(), cuda.address(dx), cuda.address(x),
                        cuda.address(memory), cuda.address(product), l.address(), cuda.address(logSumExp),
                        cuda.address(gLoss),
                        labels.length, memory.dim(0), memory.dim(1), tau);
            }
        }
        return dx;
    }

    /** Alpha stays on the device (a double in a two-float tensor of the current scope) until asked for. */
    @Override public DoubleSupplier dhmlBanksUpdateInPlace(Tensor shortTerm, Tensor longTerm, int[] labels, Tensor x,
                                                           double stNew, double stOld) {
        MemoryShapes.check("dhmlBanksUpdate", shortTerm, labels, x);
        if (!shortTerm.shape().equals(longTerm.shape()))
            throw new IllegalArgumentException("dhmlBanksUpdate: banks " + shortTerm.shape() + " and "
                    + longTerm.shape() + " differ");
        Tensor alpha = cuda.newTensor(Shape.of(2), "DHML alpha");
        try (Scratch l = cuda.upload(labels, "DHML labels")) {
            synchronized (cuda) {
                MemoryKernels.dhmlBanksUpdate(cuda.device(), cuda.allocator(), cuda.address(shortTerm),
                        cuda.address(longTerm),
                        shortTerm.dim(0), shortTerm.dim(1), l.address(), cuda.address(x), labels.length, stNew, stOld,
                        cuda.address(alpha));
            }
        }
        return () -> {
            int[] bits = cuda.download(cuda.address(alpha), 2);
            // Little-endian device memory: the low word first.
            return Double.longBitsToDouble((bits[0] & 0xFFFFFFFFL) | ((long) bits[1] << 32));
        };
    }
}
