package dev.uvgl.backend.cuda;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.DeviceMemoryStats;
import dev.uvgl.backend.GemmShape;
import dev.uvgl.backend.RowShapes;
import dev.uvgl.backend.TopK;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * The CUDA backend: tensors in device memory from a caching allocator, one hand-written kernel (or a
 * fixed sequence of them) per op, launched on a {@link Device}: the GPU or the emulated device, which
 * this class never tells apart. Float32 only. Results match the CPU backend within each kernel's bound
 * in the self-test; reductions are deterministic (fixed split and tree, no atomics).
 * Not thread-safe beyond its allocator lock: ops are issued from one thread, as the autograd tape runs.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    private final Device device;
    private final CachingAllocator alloc;
    private final ThreadLocal<ArrayDeque<DeviceScope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);

    public CudaBackend(Device device) {
        this.device = device;
        this.alloc = new CachingAllocator(device);
    }

    /** True on a real GPU, false on the emulated device. */
    public boolean onRealGpu() { return device.name().equals("cuda"); }

    @Override public String name() { return device.name().equals("cuda") ? "cuda" : "cuda on " + device.name(); }

    public Device device() { return device; }

    // ---------------------------------------------------------------- memory and scopes

    /** Opens a scope on this thread: tensors created until it closes belong to it (see DeviceScope). */
    @Override public DeviceScope scope() { return push(true); }

    /** Until it closes, new tensors on this thread belong to no scope: state that outlives the step making it. */
    @Override public DeviceScope unscoped() { return push(false); }

    private DeviceScope push(boolean owning) {
        ArrayDeque<DeviceScope> stack = scopes.get();
        DeviceScope s = new DeviceScope(this, stack.peek(), owning);
        stack.push(s);
        return s;
    }

    @Override public boolean onHost() { return false; }

    @Override public synchronized DeviceMemoryStats memoryStats() {
        return new DeviceMemoryStats(alloc.liveBlocks(), alloc.liveBytes(), alloc.peakLiveBytes(), alloc.cachedBytes(),
                device.hostSyncs());
    }

    /** What an out-of-memory error tells the user to lower: the command that runs knows its option. */
    @Override public synchronized void setOutOfMemoryAdvice(String advice) { alloc.setOutOfMemoryAdvice(advice); }

    void popScope(DeviceScope s) {
        ArrayDeque<DeviceScope> stack = scopes.get();
        if (stack.peek() != s) throw new IllegalStateException("device scopes must close innermost first");
        stack.pop();
    }

    /** Blocks lent out by the allocator: every live tensor and any scratch in use. A test's leak detector. */
    public synchronized int liveBlocks() { return alloc.liveBlocks(); }

    private synchronized DeviceBuffer allocate(long bytes, String label) { return alloc.allocate(bytes, label); }

    synchronized void release(DeviceBuffer b) { alloc.free(b); }

    private Tensor alloc(Shape shape, String label) {
        DeviceStorage s = new DeviceStorage(this, allocate(4L * shape.numel(), label), shape.numel());
        DeviceScope scope = scopes.get().peek();
        if (scope != null) scope.adopt(s);
        return new Tensor(shape, s);
    }

    /**
     * Scratch for one op: freed as soon as the op has queued its
     * kernels (later work on the stream is ordered after them).
     */
    public final class Scratch implements AutoCloseable {
        final DeviceBuffer buffer;
        Scratch(long bytes, String label) { buffer = allocate(Math.max(bytes, 4), label); }
        public long address() { return buffer.address(); }
        @Override public void close() { release(buffer); }
    }

    private long ptr(Tensor t) {
        if (!(t.storage() instanceof DeviceStorage s) || s.backend() != this)
            throw new IllegalArgumentException("expected a tensor on " + name() + ", got " + t
                    + "; copy it over with fromArray(x.toFloatArray(), x.shape())");
        return s.address();
    }

    private static void float32Only(DType dtype) { if (dtype != DType.F32) throw float64(); }

    private static IllegalArgumentException float64() {
        return new IllegalArgumentException("the CUDA backend stores float32 only, F64 was asked for; "
                + "run float64 (gradient checks) with --device cpu");
    }

    /**
     * Host to device in stream order: the block may be one a queued kernel still reads (the allocator
     * recycles blocks at once), and the compute stream runs the copy after that kernel, so the host never waits.
     */
    private void upload(long address, float[] data) {
        if (data.length > 0) device.upload(address, data, 0, data.length);
    }

    /** Int32 data (labels, rows, top-k indices) through the device's int copy path, in stream order. */
    private Scratch uploadInts(int[] values, String label) {
        Scratch s = new Scratch(4L * values.length, label);
        if (values.length > 0) device.upload(s.address(), values, 0, values.length);
        return s;
    }

    /** One device-to-device copy per scalar into one buffer, then a single read: the host waits once. */
    @Override public double[] readScalars(List<Tensor> scalars) {
        double[] out = new double[scalars.size()];
        if (out.length == 0) return out;
        float[] values = new float[out.length];
        try (Scratch all = new Scratch(4L * out.length, "loss scalars")) {
            for (int i = 0; i < out.length; i++) {
                Tensor t = scalars.get(i);
                if (t.numel() != 1) throw new IllegalArgumentException("readScalars: tensor " + i + " has shape "
                        + t.shape() + ", not one element");
                device.copyDeviceToDevice(all.address() + 4L * i, ptr(t), 4);
            }
            device.copyOut(all.address(), values, 0, values.length);
        }
        for (int i = 0; i < out.length; i++) out[i] = values[i];
        return out;
    }

    private int[] downloadInts(long address, int count) {
        int[] out = new int[count];
        if (count > 0) device.copyOut(address, out, 0, count);
        return out;
    }

    private void launch(Launch l) { l.on(device); }

    // ---------------------------------------------------------------- creation and transfer

    @Override public Tensor zeros(Shape shape, DType dtype) { return full(shape, dtype, 0.0); }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        float32Only(dtype);
        Tensor t = alloc(shape, "full");
        fill(ptr(t), shape.numel(), (float) value);
        return t;
    }

    private void fill(long address, long n, float value) {
        if (n > 0) launch(ElementwiseKernels.fill(address, value, n));
    }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        if (data.length != shape.numel())
            throw new IllegalArgumentException(data.length + " values do not fill shape " + shape);
        Tensor t = alloc(shape, "fromArray");
        upload(ptr(t), data);
        return t;
    }

    @Override public Tensor fromArray(double[] data, Shape shape) { throw float64(); }

    @Override public float[] toFloatArray(Tensor x) {
        float[] out = new float[x.numel()];
        if (out.length > 0) device.copyOut(ptr(x), out, 0, out.length);
        return out;
    }

    @Override public double[] toDoubleArray(Tensor x) {
        float[] f = toFloatArray(x);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override public Tensor copy(Tensor x) {
        Tensor t = alloc(x.shape(), "copy");
        if (x.numel() > 0) device.copyDeviceToDevice(ptr(t), ptr(x), 4L * x.numel());
        return t;
    }

    @Override public Tensor toDType(Tensor x, DType dtype) {
        float32Only(dtype);
        return copy(x);
    }

    // ---------------------------------------------------------------- element-wise

    private static int broadcastInner(String op, Tensor a, Tensor b) {
        if (!a.shape().endsWith(b.shape()))
            throw new IllegalArgumentException(op + ": " + b.shape() + " does not broadcast to " + a.shape()
                    + " (it must equal its trailing dimensions)");
        return b.numel();
    }

    private static void checkSameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape()))
            throw new IllegalArgumentException(op + ": shapes differ, " + a.shape() + " vs " + b.shape());
    }

    @Override public Tensor add(Tensor a, Tensor b) { return binary("add", a, b, ElementwiseKernels::add); }

    @Override public Tensor mul(Tensor a, Tensor b) { return binary("mul", a, b, ElementwiseKernels::mul); }

    private interface BinaryLaunch { Launch of(long out, long a, long b, long n, int inner); }

    private Tensor binary(String op, Tensor a, Tensor b, BinaryLaunch kernel) {
        int inner = broadcastInner(op, a, b);
        Tensor out = alloc(a.shape(), op);
        if (a.numel() > 0) launch(kernel.of(ptr(out), ptr(a), ptr(b), a.numel(), inner));
        return out;
    }

    @Override public Tensor affine(Tensor x, double scale, double shift) {
        Tensor out = alloc(x.shape(), "affine");
        long n = x.numel();
        if (n > 0) launch(ElementwiseKernels.affine(ptr(out), ptr(x), (float) scale, (float) shift, n));
        return out;
    }

    @Override public void addInPlace(Tensor acc, Tensor x) {
        checkSameShape("addInPlace", acc, x);
        long n = x.numel();
        // axpy with alpha 1: fmaf(1, x, acc) rounds once, exactly acc + x.
        if (n > 0) launch(ElementwiseKernels.axpy(ptr(acc), ptr(x), 1f, n));
    }

    @Override public Tensor gelu(Tensor x) {
        Tensor out = alloc(x.shape(), "gelu");
        long n = x.numel();
        if (n > 0) launch(ElementwiseKernels.gelu(ptr(out), ptr(x), n));
        return out;
    }

    @Override public Tensor geluBackward(Tensor x, Tensor gy) {
        checkSameShape("geluBackward", x, gy);
        Tensor out = alloc(x.shape(), "geluBackward");
        long n = x.numel();
        if (n > 0) launch(ElementwiseKernels.geluBackward(ptr(out), ptr(x), ptr(gy), n));
        return out;
    }

    // ---------------------------------------------------------------- reductions

    /** y = (sum of x over the middle axis of [outer, n, inner]) / divisor, into a new tensor of outShape. */
    private Tensor reduceMiddle(Tensor x, int outer, int n, int inner, int divisor, Shape outShape, String label) {
        Tensor y = alloc(outShape, label);
        long outputs = (long) outer * inner;
        if (outputs == 0) return y;
        ReducePlan plan = inner == 1 ? ReducePlan.rows(n) : ReducePlan.columns(outputs, n);
        try (Scratch partial = new Scratch(8L * outputs * plan.splits(), label + " partial sums")) {
            long in = n == 0 ? partial.address() : ptr(x);
            launch(inner == 1 ? ReduceKernels.rowsPartial(partial.address(), in, outer, n, plan)
                    : ReduceKernels.colsPartial(partial.address(), in, outer, n, inner, plan));
            finish(ptr(y), partial.address(), outputs, plan.splits(), divisor);
        }
        return y;
    }

    private void finish(long y, long partial, long count, int splits, int divisor) {
        launch(ReduceKernels.finish(y, partial, (int) count, splits, divisor));
    }

    @Override public Tensor sumToSuffix(Tensor g, Shape suffix) {
        if (!g.shape().endsWith(suffix))
            throw new IllegalArgumentException("sumToSuffix: " + suffix + " is not a suffix of " + g.shape());
        int inner = suffix.numel(), rows = inner == 0 ? 0 : g.numel() / inner;
        return inner == 1 ? reduceMiddle(g, 1, rows, 1, 1, suffix, "sumToSuffix")
                : reduceMiddle(g, 1, rows, inner, 1, suffix, "sumToSuffix");
    }

    @Override public Tensor sumAll(Tensor x) { return reduceMiddle(x, 1, x.numel(), 1, 1, Shape.of(), "sumAll"); }

    @Override public Tensor sum(Tensor x, int axis, boolean keepDim) {
        Shape s = x.shape();
        int ax = s.axis(axis);
        return reduceMiddle(x, s.outer(ax), s.dim(ax), s.inner(ax), 1, s.reduce(ax, keepDim), "sum");
    }

    @Override public Tensor broadcastAlong(Tensor g, Shape xShape, int axis) {
        int ax = xShape.axis(axis), outer = xShape.outer(ax), n = xShape.dim(ax), inner = xShape.inner(ax);
        if (g.numel() != outer * inner)
            throw new IllegalArgumentException("broadcastAlong: " + g.shape() + " is not " + xShape
                    + " reduced over axis " + axis);
        return broadcastMiddle(g, xShape, n, inner, 1f, "broadcastAlong");
    }

    private Tensor broadcastMiddle(Tensor g, Shape yShape, int n, int inner, float scale, String label) {
        Tensor y = alloc(yShape, label);
        long total = yShape.numel();
        if (total > 0) launch(ReduceKernels.broadcastMiddle(ptr(y), ptr(g), total, n, inner, scale));
        return y;
    }

    // --------------------------------------------------------- GEMM and convolution: the other half of the kernels

    /** FP32 (exact, the CPU-parity path) unless mixed precision asks for BF16 tensor cores. */
    private volatile GemmPrecision gemmPrecision = GemmPrecision.FP32;

    public void setGemmPrecision(GemmPrecision p) { this.gemmPrecision = p; }

    @Override public boolean canGemmBf16() { return true; }

    @Override public boolean prefersGemmBf16() { return onRealGpu(); }

    @Override public void setGemmBf16(boolean bf16) {
        setGemmPrecision(bf16 ? GemmPrecision.BF16 : GemmPrecision.FP32);
    }

    public GemmPrecision gemmPrecision() { return gemmPrecision; }

    @Override public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        GemmShape g = GemmShape.of(a, transA, b, transB);
        int m = g.m(), n = g.n(), k = g.k();
        Tensor c = alloc(Shape.of(m, n), "matmul");
        if (m > 0 && n > 0) {
            if (k == 0) fill(ptr(c), (long) m * n, 0f);
            else synchronized (this) {
                GemmLauncher.matmul(device, alloc, ptr(c), ptr(a), transA, ptr(b), transB, m, n, k, gemmPrecision);
            }
        }
        return c;
    }

    private static void checkConv(String op, Tensor x, Tensor w, Conv2dGeometry g) {
        if (x != null && !x.shape().equals(Shape.of(g.n(), g.h(), g.w(), g.cin())))
            throw new IllegalArgumentException(op + ": input " + x.shape() + " does not match the geometry " + g);
        if (w != null && !w.shape().equals(Shape.of(g.cout(), g.cin() / g.groups(), g.kh(), g.kw())))
            throw new IllegalArgumentException(op + ": weight " + w.shape() + " does not match the geometry " + g);
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor biasOrNull, Conv2dGeometry g) {
        checkConv("conv2d", x, w, g);
        Tensor y = alloc(g.outputShape(), "conv2d");
        synchronized (this) {
            ConvLauncher.forward(device, alloc, ptr(y), ptr(x), ptr(w), biasOrNull == null ? 0 : ptr(biasOrNull), g,
                    gemmPrecision);
        }
        return y;
    }

    @Override public Tensor conv2dBackwardInput(Tensor gy, Tensor w, Conv2dGeometry g) {
        checkConv("conv2dBackwardInput", null, w, g);
        Tensor dx = alloc(Shape.of(g.n(), g.h(), g.w(), g.cin()), "conv2d dx");
        synchronized (this) { ConvLauncher.backwardInput(device, alloc, ptr(dx), ptr(gy), ptr(w), g, gemmPrecision); }
        return dx;
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor gy, Conv2dGeometry g) {
        checkConv("conv2dBackwardWeight", x, null, g);
        Tensor dw = alloc(Shape.of(g.cout(), g.cin() / g.groups(), g.kh(), g.kw()), "conv2d dw");
        synchronized (this) { ConvLauncher.backwardWeight(device, alloc, ptr(dw), ptr(x), ptr(gy), g, gemmPrecision); }
        return dw;
    }

    // ---------------------------------------------------------------- LayerNorm over one axis

    @Override public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, int axis, double eps) {
        Shape s = x.shape();
        int ax = s.axis(axis), outer = s.outer(ax), c = s.dim(ax), inner = s.inner(ax), rows = outer * inner;
        if (gamma.numel() != c || beta.numel() != c)
            throw new IllegalArgumentException("layerNorm over axis " + axis + " of " + s + " wants gamma and beta of "
                    + c + " elements, got " + gamma.shape() + " and " + beta.shape());
        Tensor y = alloc(s, "layerNorm"), mean = alloc(Shape.of(rows), "layerNorm mean"),
                rstd = alloc(Shape.of(rows), "layerNorm rstd");
        if (rows == 0 || c == 0) return new Tensor[] {y, mean, rstd};
        if (inner == 1)
            launch(LayerNormKernels.forward(ptr(y), ptr(mean), ptr(rstd), ptr(x), ptr(gamma), ptr(beta), rows, c,
                    (float) eps));
        else launch(LayerNormKernels.forwardStrided(ptr(y), ptr(mean), ptr(rstd), ptr(x), ptr(gamma), ptr(beta),
                outer, c, inner, (float) eps));
        return new Tensor[] {y, mean, rstd};
    }

    @Override public Tensor[] layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy, int axis) {
        checkSameShape("layerNormBackward", x, gy);
        Shape s = x.shape();
        int ax = s.axis(axis), outer = s.outer(ax), c = s.dim(ax), inner = s.inner(ax), rows = outer * inner;
        Tensor dx = alloc(s, "layerNorm dx"), dgamma = alloc(gamma.shape(), "layerNorm dgamma"),
                dbeta = alloc(gamma.shape(), "layerNorm dbeta");
        if (c == 0) return new Tensor[] {dx, dgamma, dbeta};
        if (rows == 0) {
            fill(ptr(dgamma), c, 0f);
            fill(ptr(dbeta), c, 0f);
            return new Tensor[] {dx, dgamma, dbeta};
        }
        if (inner == 1)
            launch(LayerNormKernels.backwardDx(ptr(dx), ptr(x), ptr(gamma), ptr(mean), ptr(rstd), ptr(gy), rows, c));
        else launch(LayerNormKernels.backwardDxStrided(ptr(dx), ptr(x), ptr(gamma), ptr(mean), ptr(rstd), ptr(gy),
                outer, c, inner));
        ReducePlan plan = ReducePlan.columns(c, rows);
        try (Scratch pg = new Scratch(8L * c * plan.splits(), "layerNorm dgamma partial sums");
             Scratch pb = new Scratch(8L * c * plan.splits(), "layerNorm dbeta partial sums")) {
            launch(LayerNormKernels.backwardParamsPartial(pg.address(), pb.address(), ptr(x), ptr(mean), ptr(rstd),
                    ptr(gy), outer, c, inner, plan));
            finish(ptr(dgamma), pg.address(), c, plan.splits(), 1);
            finish(ptr(dbeta), pb.address(), c, plan.splits(), 1);
        }
        return new Tensor[] {dx, dgamma, dbeta};
    }

    // ---------------------------------------------------------------- pooling (NHWC -> [N, C])

    @Override public Tensor globalAvgPool(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException("globalAvgPool wants NHWC, got " + x.shape());
        int n = x.dim(0), hw = x.dim(1) * x.dim(2), c = x.dim(3);
        return reduceMiddle(x, n, hw, c, hw, Shape.of(n, c), "globalAvgPool");
    }

    @Override public Tensor globalAvgPoolBackward(Tensor gy, Shape xShape) {
        int hw = xShape.dim(1) * xShape.dim(2), c = xShape.dim(3);
        if (gy.numel() != xShape.dim(0) * c)
            throw new IllegalArgumentException("globalAvgPoolBackward: " + gy.shape() + " is not [N, C] of " + xShape);
        return broadcastMiddle(gy, xShape, hw, c, (float) (1.0 / hw), "globalAvgPoolBackward");
    }

    // ---------------------------------------------------------------- row-wise (last axis)

    private static int rows(Tensor x) { return x.numel() / Math.max(1, x.shape().last()); }

    private interface RowLaunch { Launch of(long out, int rows, int d); }

    /** out = a row kernel over x's last axis, in a new tensor of x's shape; none launched for an empty x. */
    private Tensor rowOp(String label, Tensor x, RowLaunch kernel) {
        Tensor out = alloc(x.shape(), label);
        if (x.numel() > 0) launch(kernel.of(ptr(out), rows(x), x.shape().last()));
        return out;
    }

    @Override public Tensor l2Normalize(Tensor x, double eps) {
        return rowOp("l2Normalize", x, (out, rows, d) -> RowKernels.l2Normalize(out, ptr(x), rows, d, (float) eps));
    }

    @Override public Tensor l2NormalizeBackward(Tensor x, Tensor gy, double eps) {
        checkSameShape("l2NormalizeBackward", x, gy);
        return rowOp("l2NormalizeBackward", x,
                (out, rows, d) -> RowKernels.l2NormalizeBackward(out, ptr(x), ptr(gy), rows, d, (float) eps));
    }

    @Override public Tensor softmax(Tensor x) {
        return rowOp("softmax", x, (out, rows, d) -> RowKernels.softmax(out, ptr(x), rows, d));
    }

    @Override public Tensor logSoftmax(Tensor x) {
        return rowOp("logSoftmax", x, (out, rows, d) -> RowKernels.logSoftmax(out, ptr(x), rows, d));
    }

    @Override public Tensor softmaxBackward(Tensor y, Tensor gy) {
        checkSameShape("softmaxBackward", y, gy);
        return rowOp("softmaxBackward", y,
                (out, rows, d) -> RowKernels.softmaxBackward(out, ptr(y), ptr(gy), rows, d));
    }

    @Override public Tensor logSoftmaxBackward(Tensor y, Tensor gy) {
        checkSameShape("logSoftmaxBackward", y, gy);
        return rowOp("logSoftmaxBackward", y,
                (out, rows, d) -> RowKernels.logSoftmaxBackward(out, ptr(y), ptr(gy), rows, d));
    }

    private static void checkScalar(String op, Tensor g) {
        if (g.numel() != 1)
            throw new IllegalArgumentException(op + ": the loss gradient must have one element, got " + g.shape());
    }

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] labels, double temperature) {
        int rows = RowShapes.checkLabels(logits, labels), d = logits.shape().last();
        Tensor probs = alloc(logits.shape(), "softmaxCrossEntropy probs");
        if (rows == 0) return new Tensor[] {full(Shape.of(), DType.F32, Double.NaN), probs};
        try (Scratch lab = uploadInts(labels, "labels"); Scratch rowLoss = new Scratch(4L * rows, "per-row loss")) {
            launch(LossKernels.softmaxXent(ptr(probs), rowLoss.address(), ptr(logits), lab.address(), rows, d,
                    (float) (1.0 / temperature)));
            ReducePlan plan = ReducePlan.rows(rows);
            Tensor loss = alloc(Shape.of(), "softmaxCrossEntropy loss");
            try (Scratch partial = new Scratch(8L * plan.splits(), "loss partial sums")) {
                launch(ReduceKernels.rowsPartial(partial.address(), rowLoss.address(), 1, rows, plan));
                finish(ptr(loss), partial.address(), 1, plan.splits(), rows);
            }
            return new Tensor[] {loss, probs};
        }
    }

    @Override public Tensor softmaxCrossEntropyBackward(Tensor probs, int[] labels, double temperature, Tensor gLoss) {
        int rows = RowShapes.checkLabels(probs, labels), d = probs.shape().last();
        checkScalar("softmaxCrossEntropyBackward", gLoss);
        Tensor dx = alloc(probs.shape(), "softmaxCrossEntropy dx");
        if (probs.numel() == 0) return dx;
        try (Scratch lab = uploadInts(labels, "labels")) {
            launch(LossKernels.softmaxXentBackward(ptr(dx), ptr(probs), lab.address(), ptr(gLoss), rows, d,
                    (float) (1.0 / (rows * temperature))));
        }
        return dx;
    }

    @Override public Tensor klUniform(Tensor p) {
        int d = p.shape().last(), n = p.numel();
        Tensor loss = alloc(Shape.of(), "klUniform");
        if (n == 0) { fill(ptr(loss), 1, Float.NaN); return loss; }
        ReducePlan plan = ReducePlan.rows(n);
        try (Scratch partial = new Scratch(8L * plan.splits(), "klUniform partial sums")) {
            launch(LossKernels.klUniformPartial(partial.address(), ptr(p), n, d, plan));
            finish(ptr(loss), partial.address(), 1, plan.splits(), n);
        }
        return loss;
    }

    @Override public Tensor klUniformBackward(Tensor p, Tensor gLoss) {
        checkScalar("klUniformBackward", gLoss);
        int d = p.shape().last(), rows = rows(p);
        Tensor dp = alloc(p.shape(), "klUniform dp");
        long n = p.numel();
        if (n > 0)
            launch(LossKernels.klUniformBackward(ptr(dp), ptr(p), ptr(gLoss), n, (float) (1.0 / ((double) d * rows))));
        return dp;
    }

    @Override public TopK topk(Tensor x, int k) {
        int d = x.shape().last(), rows = rows(x);
        if (k < 1 || k > d)
            throw new IllegalArgumentException("topk: k=" + k + " must be in [1, " + d + "] for rows of " + x.shape());
        Tensor values = alloc(x.shape().withLast(k), "topk values");
        if (rows == 0) return new TopK(values, new int[0], k);
        try (Scratch idx = new Scratch(4L * rows * k, "topk indices")) {
            launch(LayoutKernels.topk(ptr(values), idx.address(), ptr(x), rows, d, k));
            return new TopK(values, downloadInts(idx.address(), rows * k), k);
        }
    }

    @Override public Tensor topkBackward(Tensor gValues, int[] indices, Shape xShape) {
        int d = xShape.last(), k = gValues.shape().last(), rows = gValues.numel() / Math.max(1, k);
        if (indices.length != gValues.numel())
            throw new IllegalArgumentException("topkBackward: " + indices.length + " indices for values of shape "
                    + gValues.shape());
        for (int i : indices)
            if (i < 0 || i >= d)
                throw new IllegalArgumentException("topkBackward: index " + i + " is outside [0, " + d + ")");
        Tensor dx = zeros(xShape, DType.F32);
        if (indices.length == 0) return dx;
        try (Scratch idx = uploadInts(indices, "topk indices")) {
            launch(LayoutKernels.topkScatter(ptr(dx), ptr(gValues), idx.address(), rows, d, k));
        }
        return dx;
    }

    /**
     * knn.cu keeps k <= 32 candidates per query in registers (one per lane) and never holds the Q x N
     * similarity; a larger k takes tiles of queries through matmul and topk.
     */
    @Override public TopK nearestRows(Tensor queries, Tensor keys, int k) {
        RowShapes.checkNearest(queries, keys, k);
        int q = queries.dim(0), n = keys.dim(0), dim = queries.dim(1);
        Tensor values = alloc(Shape.of(q, k), "nearest rows values");
        if (q == 0) return new TopK(values, new int[0], k);
        if (k <= KnnKernels.KNN_MAX_K && dim > 0) {
            try (Scratch idx = new Scratch(4L * q * k, "nearest rows indices")) {
                synchronized (this) {
                    KnnKernels.topK(device, alloc, ptr(values), idx.address(), ptr(queries), q, ptr(keys), n,
                            dim, k, false);
                }
                return new TopK(values, downloadInts(idx.address(), q * k), k);
            }
        }
        int[] indices = new int[q * k];
        int tile = Math.max(1, Math.min(q, (1 << 24) / Math.max(1, n)));
        for (int lo = 0; lo < q; lo += tile) {
            int hi = Math.min(q, lo + tile);
            try (DeviceScope s = scope()) {
                Tensor part = alloc(Shape.of(hi - lo, dim), "nearest rows query tile");
                if (dim > 0) device.copyDeviceToDevice(ptr(part), ptr(queries) + 4L * lo * dim, 4L * (hi - lo) * dim);
                TopK t = topk(matmul(part, false, keys, true), k);
                device.copyDeviceToDevice(ptr(values) + 4L * lo * k, ptr(t.values()), 4L * (hi - lo) * k);
                System.arraycopy(t.indices(), 0, indices, lo * k, (hi - lo) * k);
            }
        }
        return new TopK(values, indices, k);
    }

    // ---------------------------------------------------------------- layout

    @Override public Tensor gatherRows(Tensor x, int[] rows) {
        RowShapes.checkGather(x, rows);
        int d = x.dim(1);
        Tensor out = alloc(Shape.of(rows.length, d), "gathered rows");
        if (rows.length == 0 || d == 0) return out;
        try (Scratch idx = uploadInts(rows, "gather rows")) {
            launch(LayoutKernels.gatherRows(ptr(out), ptr(x), idx.address(), rows.length, d));
        }
        return out;
    }

    @Override public Tensor permute(Tensor x, int[] perm) {
        Shape s = x.shape();
        int rank = s.rank();
        if (perm.length != rank)
            throw new IllegalArgumentException("permute: " + perm.length + " axes for a rank-" + rank + " tensor " + s);
        int[] axes = new int[rank], outDims = new int[rank];
        boolean[] used = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int p = s.axis(perm[i]);
            if (used[p])
                throw new IllegalArgumentException("permute: axis " + perm[i] + " repeated in "
                        + Arrays.toString(perm));
            used[p] = true;
            axes[i] = p;
            outDims[i] = s.dim(p);
        }
        Tensor out = alloc(Shape.of(outDims), "permute");
        if (out.numel() > 0) permuteInto(out, x, axes);
        return out;
    }

    private void permuteInto(Tensor out, Tensor x, int[] axes) {
        PermutePlan plan = PermutePlan.of(x.shape(), axes);
        if (plan.fitsOneLaunch()) {
            launch(LayoutKernels.permute(ptr(out), ptr(x), out.numel(), plan));
            return;
        }
        // More than PermutePlan.MAX_RANK independent axes: one axis swap at a time, each fits a launch.
        int[] current = new int[axes.length];
        for (int i = 0; i < current.length; i++) current[i] = i;
        Tensor cur = x;
        try (DeviceScope temps = scope()) {
            for (int i = 0; i < axes.length; i++) {
                int j = i;
                while (current[j] != axes[i]) j++;
                if (j == i) continue;
                int[] swap = new int[axes.length];
                for (int a = 0; a < swap.length; a++) swap[a] = a;
                swap[i] = j;
                swap[j] = i;
                int tmp = current[i]; current[i] = current[j]; current[j] = tmp;
                cur = permute(cur, swap);
            }
            if (out.numel() > 0) device.copyDeviceToDevice(ptr(out), ptr(cur), 4L * out.numel());
        }
    }

    // ---------------------------------------------------------------- optimiser

    @Override
    public void adamwStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, double decay, double beta1,
            double beta2,
                                           double stepSize, double bc2sqrt, double eps) {
        checkSameShape("adamwStep", param, grad);
        checkSameShape("adamwStep", param, m);
        checkSameShape("adamwStep", param, v);
        long n = param.numel();
        if (n > 0)
            launch(OptimizerKernels.adamw(ptr(param), ptr(m), ptr(v), ptr(grad), (float) decay, (float) beta1,
                    (float) beta2, (float) stepSize, (float) bc2sqrt, (float) eps, n));
    }

    @Override
    public void sgdStepInPlace(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum,
            double weightDecay, boolean firstStep) {
        checkSameShape("sgdStep", param, grad);
        checkSameShape("sgdStep", param, momentumBuffer);
        long n = param.numel();
        if (n > 0)
            launch(OptimizerKernels.sgd(ptr(param), ptr(momentumBuffer), ptr(grad), (float) lr, (float) momentum,
                    (float) weightDecay, firstStep, n));
    }

    /**
     * One SGD step over every parameter of a model in one launch (per 65535 parameters): the same
     * arithmetic as sgdStepInPlace on each (param, grad, buffer) triple, without a launch per parameter.
     */
    @Override public void sgdStepAll(List<Tensor> params, List<Tensor> grads, List<Tensor> buffers, double lr,
            double momentum, double weightDecay, boolean firstStep) {
        if (params.size() != grads.size() || params.size() != buffers.size())
            throw new IllegalArgumentException("sgdStepAll: " + params.size() + " parameters, " + grads.size()
                    + " gradients, " + buffers.size() + " buffers");
        for (int from = 0; from < params.size(); from += SgdTable.MAX_PER_LAUNCH) {
            int to = Math.min(params.size(), from + SgdTable.MAX_PER_LAUNCH);
            SgdTable table = new SgdTable();
            for (int i = from; i < to; i++) {
                Tensor p = params.get(i), g = grads.get(i), b = buffers.get(i);
                checkSameShape("sgdStepAll parameter " + i, p, g);
                checkSameShape("sgdStepAll parameter " + i, p, b);
                table.add(ptr(p), ptr(b), ptr(g), p.numel());
            }
            float[] floats = table.floats();
            try (Scratch t = new Scratch(4L * floats.length, "sgd parameter table")) {
                upload(t.address(), floats);
                launch(OptimizerKernels.sgdAll(t.address(), table, (float) lr, (float) momentum, (float) weightDecay,
                        firstStep));
            }
        }
    }

    @Override public void close() {
        device.synchronize();
        synchronized (this) { alloc.close(); }
        device.close();
    }

    // ---------------------------------------------------------------- for kernels outside the backend
    // DMNIL's memory ops (dmnil.memory.cuda) launch their own kernels on this backend's tensors: they allocate,
    // upload and read through these, and launch holding this backend's lock, as the ops above do.

    /** The device address of a tensor of this backend; else an error naming the tensor. */
    public long address(Tensor t) { return ptr(t); }

    /** A new float32 tensor in the current scope (its label names it in an out-of-memory error). */
    public Tensor newTensor(Shape shape, String label) { return alloc(shape, label); }

    /** Scratch bytes for one op, freed on close. */
    public Scratch scratch(long bytes, String label) { return new Scratch(bytes, label); }

    /** Int32 values uploaded in stream order into scratch freed on close. */
    public Scratch upload(int[] values, String label) { return uploadInts(values, label); }

    /** Int32 values read back to the host (the host waits for the stream). */
    public int[] download(long address, int count) { return downloadInts(address, count); }

    /** The allocator kernels take their scratch from; use it only while holding this backend's lock. */
    public CachingAllocator allocator() { return alloc; }
}
