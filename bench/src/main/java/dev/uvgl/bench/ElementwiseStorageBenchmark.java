package dev.uvgl.bench;

import org.openjdk.jmh.annotations.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * y[i] = x[i] * s + t on one thread, over heap float[] and over direct (off-heap, native-order)
 * FloatBuffers: what every Java element-wise kernel would pay if tensors lived off-heap.
 * 16M floats (64 MiB each way) streams from memory; 64K floats (256 KiB) stays in L2, where the
 * loop's code rather than memory sets the rate. GB/s = 8 n / time (read x, write y).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ElementwiseStorageBenchmark {
    @Param({"65536", "16777216"})
    public int n;

    private float s = 1.5f, t = -0.25f;
    private float[] x, y;
    private FloatBuffer xb, yb;

    @Setup
    public void setup() {
        x = Data.uniform(new Random(3), n);
        y = new float[n];
        xb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        yb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        xb.put(0, x);
    }

    @Benchmark
    public float[] heapArray() {
        float[] x = this.x, y = this.y;
        float s = this.s, t = this.t;
        for (int i = 0; i < x.length; i++) y[i] = x[i] * s + t;
        return y;
    }

    @Benchmark
    public FloatBuffer directBuffer() {
        FloatBuffer x = this.xb, y = this.yb;
        float s = this.s, t = this.t;
        int n = x.capacity();
        for (int i = 0; i < n; i++) y.put(i, x.get(i) * s + t);
        return y;
    }
}
