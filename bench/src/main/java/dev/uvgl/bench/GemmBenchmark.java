package dev.uvgl.bench;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The engine's CPU matmul (OpenBLAS sgemm on operands staged off-heap, plus the allocation of the
 * result) at square sizes and at ConvNeXt's pointwise Linear shapes. GFLOP/s = 2 M N K / time
 * (bench/summarize.py); the result includes allocating and zeroing the [M, N] output.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GemmBenchmark {
    /**
     * "n": square n x n x n, A x B. "MxKxN:T": A [M, K] times W^T with W [N, K], as the engine's Linear
     * computes x W^T. 36864x384x1536 is ConvNeXt stage 3's pwconv1 (batch 64 at 384 px: 64 * 24 * 24
     * rows, 384 -> 1536); 36864x1536x384 is its pwconv2 (1536 -> 384).
     */
    @Param({"256", "512", "1024", "2048", "36864x384x1536:T", "36864x1536x384:T"})
    public String shape;

    private final Backend be = CpuBackend.INSTANCE;
    private Tensor a, b;
    private boolean transB;

    @Setup
    public void setup() {
        int m, k, n;
        if (shape.contains("x")) {
            String[] p = shape.split(":")[0].split("x");
            m = Integer.parseInt(p[0]); k = Integer.parseInt(p[1]); n = Integer.parseInt(p[2]);
            transB = shape.endsWith(":T");
        } else {
            m = k = n = Integer.parseInt(shape);
        }
        Random rnd = new Random(42);
        a = Data.tensor(rnd, m, k);
        b = transB ? Data.tensor(rnd, n, k) : Data.tensor(rnd, k, n);
    }

    @Benchmark
    public Tensor matmul() { return be.matmul(a, false, b, transB); }
}
