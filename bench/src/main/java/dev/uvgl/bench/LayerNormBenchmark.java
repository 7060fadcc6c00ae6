package dev.uvgl.bench;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * LayerNorm over the last axis (ConvNeXt's channels-last LayerNorm, eps 1e-6) of x [rows, C] with
 * rows = 8 * 96 * 96 and C = 96: the stage-1 activation of DepthwiseConvBenchmark, 7.08M floats.
 * GB/s = compulsory traffic / time, 4 bytes a float, E = rows * C: forward reads x, gamma, beta and
 * writes y, mean, rstd = 4 (2E + 2 rows + 2C); backward reads x, gy, gamma, mean, rstd and writes
 * dx, dgamma, dbeta = 4 (3E + 2 rows + 3C).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LayerNormBenchmark {
    @Param({"73728"})
    public int rows;

    @Param({"96"})
    public int channels;

    private final Backend be = CpuBackend.INSTANCE;
    private Tensor x, gamma, beta, gy, mean, rstd;

    @Setup
    public void setup() {
        Random rnd = new Random(9);
        x = Data.tensor(rnd, rows, channels);
        gamma = Data.tensor(rnd, channels);
        beta = Data.tensor(rnd, channels);
        gy = Data.tensor(rnd, rows, channels);
        Tensor[] f = be.layerNorm(x, gamma, beta, -1, 1e-6);
        mean = f[1];
        rstd = f[2];
    }

    @Benchmark
    public Tensor[] forward() { return be.layerNorm(x, gamma, beta, -1, 1e-6); }

    @Benchmark
    public Tensor[] backward() { return be.layerNormBackward(x, gamma, mean, rstd, gy, -1); }
}
