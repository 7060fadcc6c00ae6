package dev.uvgl.bench;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * ConvNeXt's depthwise 7x7 (pad 3, stride 1, groups = C, with bias) at ConvNeXt-Tiny stage 1's width
 * C = 96 on 96 x 96 maps, batch 8: x NHWC [8, 96, 96, 96] (7.08M floats, 27 MiB).
 * With E = N H W C: GFLOP/s = 2 * 49 * E / time (all 49 taps counted, also those that fall in the
 * padding, which the kernel skips: 96.5% of them are inside at 96 x 96); GB/s = compulsory traffic /
 * time, 4 bytes a float: forward reads x, w, bias and writes y = 4 (2E + 50C); backward-input reads gy,
 * w and writes dx = 4 (2E + 49C); backward-weight reads x, gy and writes dw = 4 (2E + 49C).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DepthwiseConvBenchmark {
    @Param({"8"})
    public int batch;

    @Param({"96"})
    public int size;

    @Param({"96"})
    public int channels;

    private final Backend be = CpuBackend.INSTANCE;
    private Tensor x, w, bias, gy;
    private Conv2dGeometry g;

    @Setup
    public void setup() {
        Random rnd = new Random(5);
        x = Data.tensor(rnd, batch, size, size, channels);
        w = Data.tensor(rnd, channels, 1, 7, 7);
        bias = Data.tensor(rnd, channels);
        g = Conv2dGeometry.of(x.shape(), w.shape(), 1, 3, channels);
        gy = Data.tensor(rnd, g.outputShape().dims());
    }

    @Benchmark
    public Tensor forward() { return be.conv2d(x, w, bias, g); }

    @Benchmark
    public Tensor backwardInput() { return be.conv2dBackwardInput(gy, w, g); }

    @Benchmark
    public Tensor backwardWeight() { return be.conv2dBackwardWeight(x, gy, g); }
}
