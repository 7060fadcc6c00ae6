package dev.uvgl.bench;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

/**
 * The same 1024^3 sgemm three ways, for the storage choice: OpenBLAS called on heap float[] (JavaCPP
 * copies each array in and back out through JNI), on off-heap FloatPointers (no copies, the BLAS
 * ceiling), and the engine's matmul (heap tensors staged into per-thread off-heap buffers, plus the
 * output allocation). GFLOP/s = 2 n^3 / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StorageChoiceBenchmark {
    @Param({"1024"})
    public int n;

    private final Backend be = CpuBackend.INSTANCE;
    private float[] a, b, c;
    private FloatPointer pa, pb, pc;
    private Tensor ta, tb;

    @Setup
    public void setup() {
        Random rnd = new Random(7);
        a = Data.uniform(rnd, n * n);
        b = Data.uniform(rnd, n * n);
        c = new float[n * n];
        pa = new FloatPointer(a);
        pb = new FloatPointer(b);
        pc = new FloatPointer((long) n * n);
        ta = be.fromArray(a, Shape.of(n, n));
        tb = be.fromArray(b, Shape.of(n, n));
    }

    @TearDown
    public void tearDown() { pa.close(); pb.close(); pc.close(); }

    @Benchmark
    public float[] sgemmHeapArrays() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, a, n, b, n, 0f, c, n);
        return c;
    }

    @Benchmark
    public FloatPointer sgemmOffHeap() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        return pc;
    }

    @Benchmark
    public Tensor engineStaged() { return be.matmul(ta, false, tb, false); }
}
