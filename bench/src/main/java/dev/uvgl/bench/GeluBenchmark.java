package dev.uvgl.bench;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * GELU (erf form) forward and backward over n floats: 7.08M (8 x 96 x 96 x 96, ConvNeXt-Tiny stage 1
 * at batch 8) and 28.3M (the same after the block's 4x expansion, where GELU runs).
 * GB/s = compulsory traffic / time: forward reads x, writes y = 8 n; backward reads x, gy, writes
 * dx = 12 n.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GeluBenchmark {
    @Param({"7077888", "28311552"})
    public int n;

    private final Backend be = CpuBackend.INSTANCE;
    private Tensor x, gy;

    @Setup
    public void setup() {
        Random rnd = new Random(13);
        x = Data.tensor(rnd, n);
        gy = Data.tensor(rnd, n);
    }

    @Benchmark
    public Tensor forward() { return be.gelu(x); }

    @Benchmark
    public Tensor backward() { return be.geluBackward(x, gy); }
}
