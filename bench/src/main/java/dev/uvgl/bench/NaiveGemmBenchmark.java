package dev.uvgl.bench;

import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Plain Java sgemm, one thread, at 256^3, for contrast with OpenBLAS (GemmBenchmark at 256).
 * ijk: the textbook loop, a dot product per output reading B down a column. ikj: the loop order that
 * streams rows of B and C, which C2 auto-vectorises. GFLOP/s = 2 n^3 / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NaiveGemmBenchmark {
    @Param({"256"})
    public int n;

    private float[] a, b, c;

    @Setup
    public void setup() {
        Random rnd = new Random(11);
        a = Data.uniform(rnd, n * n);
        b = Data.uniform(rnd, n * n);
        c = new float[n * n];
    }

    @Benchmark
    public float[] naiveIjk() {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    @Benchmark
    public float[] naiveIkj() {
        java.util.Arrays.fill(c, 0);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                float aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        return c;
    }
}
