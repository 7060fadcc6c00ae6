package dev.uvgl.bench;

import dev.uvgl.backend.cpu.Parallel;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The bandwidth ceiling for the streaming ops: copying n floats, GB/s = 8 n / time (read n, write n).
 * Sizes match the other benchmarks: 65536 and 16777216 (ElementwiseStorageBenchmark), 7077888
 * (depthwise, LayerNorm, GELU at stage 1), 28311552 (GELU after the 4x expansion).
 * arraycopy: one thread into a preallocated array, the ceiling for one-thread loops.
 * arraycopyParallel: the engine's pool (Parallel, 64K-float chunks like its element-wise kernels),
 * the ceiling for the engine's multi-threaded kernels. cloneArray: one thread, allocate and copy, as
 * the engine's ops do (each allocates its result).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MemcpyBaseline {
    @Param({"65536", "7077888", "16777216", "28311552"})
    public int n;

    private float[] src, dst;

    @Setup
    public void setup() {
        src = Data.uniform(new Random(1), n);
        dst = new float[n];
    }

    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(src, 0, dst, 0, n);
        return dst;
    }

    @Benchmark
    public float[] arraycopyParallel() {
        float[] s = src, d = dst;
        Parallel.range(n, 1 << 16, (lo, hi) -> System.arraycopy(s, lo, d, lo, hi - lo));
        return d;
    }

    @Benchmark
    public float[] cloneArray() { return src.clone(); }
}
