package dev.uvgl.selftest;

import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.ConvLauncher.Path;
import dev.uvgl.backend.cuda.ConvLauncher;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A convolution kernel through ConvLauncher (the launches that ship) against the CPU backend's conv2d
 * and its two gradients in float64 (the float inputs widened: within 2^-50 of exact here, far below the float32
 * errors measured, and the same on every CPU, where the float32 CPU op's BLAS sums in an order chosen per CPU
 * model), on geometries that take the kernel's path. The error is |d| divided by the same op applied to |x|, |w|
 * (|dy|): the sum of the magnitudes of the terms each output adds, the scale float rounding is proportional to.
 * Every kernel here sums in float32, at most terms * 2^-24 of that from the exact sum; no check's output sums more
 * than 800 terms, so the bound is 1e-4 (an output missing one tap's term is off by far more). A shape is {n, h, w,
 * cin, cout, kh, kw, strideH, strideW, padH, padW, groups}.
 */
final class ConvCheck implements KernelCheck {
    /** The ops a check runs; each compares one output tensor. */
    enum Op { FORWARD, FORWARD_BIAS, BACKWARD_INPUT, BACKWARD_WEIGHT }

    private static final List<int[]> DEPTHWISE = List.of(
            new int[] {2, 9, 11, 5, 5, 7, 7, 1, 1, 3, 3, 5},       // ConvNeXt's 7x7 pad 3, odd channel count
            new int[] {1, 14, 14, 64, 64, 7, 7, 1, 1, 3, 3, 64},   // two channel slices, 128-bit loads
            new int[] {2, 7, 10, 8, 8, 3, 5, 1, 1, 1, 2, 8},       // non-square kernel and padding
            new int[] {1, 6, 5, 36, 36, 3, 3, 1, 1, 0, 0, 36});    // no padding, a partial channel slice
    private static final List<int[]> PATCH = List.of(
            new int[] {2, 16, 12, 3, 8, 4, 4, 4, 4, 0, 0, 1},      // ConvNeXt's stem 4x4/4 from RGB
            new int[] {1, 8, 6, 16, 24, 2, 2, 2, 2, 0, 0, 1},      // ConvNeXt's downsample 2x2/2
            new int[] {2, 9, 7, 5, 6, 2, 3, 2, 3, 0, 0, 1});       // patches that leave a remainder uncovered
    private static final List<int[]> DIRECT = List.of(
            new int[] {2, 9, 8, 6, 4, 3, 2, 2, 1, 1, 0, 2},        // grouped, strided, padded, non-square
            new int[] {1, 9, 9, 4, 4, 3, 3, 2, 2, 1, 1, 4},        // depthwise with stride 2
            new int[] {1, 10, 10, 3, 3, 9, 9, 1, 1, 4, 4, 3},      // depthwise 9x9: more taps than the stencil keeps
            new int[] {1, 7, 6, 5, 7, 3, 3, 1, 1, 1, 1, 1},        // plain 3x3
            new int[] {2, 5, 5, 4, 6, 1, 1, 1, 1, 0, 0, 2},        // grouped 1x1
            new int[] {1, 8, 8, 3, 4, 2, 2, 2, 2, 1, 1, 1});       // kernel == stride but padded
    private static final List<int[]> MIXED = List.of(DEPTHWISE.get(0), PATCH.get(0), DIRECT.get(0));

    static final ConvCheck DWCONV = new ConvCheck("uvgl_dwconv_s1", Path.DEPTHWISE_STENCIL, DEPTHWISE, Op.FORWARD,
            Op.BACKWARD_INPUT);
    static final ConvCheck DWCONV_WGRAD = new ConvCheck("uvgl_dwconv_s1_wgrad", Path.DEPTHWISE_STENCIL, DEPTHWISE,
            Op.BACKWARD_WEIGHT);
    static final ConvCheck PATCH_IM2COL = new ConvCheck("uvgl_patch_im2col", Path.PATCH_GEMM, PATCH, Op.FORWARD,
            Op.BACKWARD_WEIGHT);
    static final ConvCheck PATCH_COL2IM = new ConvCheck("uvgl_patch_col2im", Path.PATCH_GEMM, PATCH, Op.BACKWARD_INPUT);
    static final ConvCheck DIRECT_FORWARD = new ConvCheck("uvgl_conv2d_direct", Path.DIRECT, DIRECT, Op.FORWARD);
    static final ConvCheck DIRECT_DGRAD = new ConvCheck("uvgl_conv2d_direct_dgrad", Path.DIRECT, DIRECT,
            Op.BACKWARD_INPUT);
    static final ConvCheck DIRECT_WGRAD = new ConvCheck("uvgl_conv2d_direct_wgrad", Path.DIRECT, DIRECT,
            Op.BACKWARD_WEIGHT);
    /** Both weight gradients end in uvgl_sum_partials. */
    static final ConvCheck SUM_PARTIALS = new ConvCheck("uvgl_sum_partials", null,
            List.of(DEPTHWISE.get(2), DIRECT.get(0), DIRECT.get(4)), Op.BACKWARD_WEIGHT);
    static final ConvCheck BIAS = new ConvCheck("uvgl_conv_bias_add", null, MIXED, Op.FORWARD_BIAS);

    private final String kernel;
    private final Path path;
    private final List<int[]> shapes;
    private final Op[] ops;

    private ConvCheck(String kernel, Path path, List<int[]> shapes, Op... ops) {
        this.kernel = kernel;
        this.path = path;
        this.shapes = shapes;
        this.ops = ops;
    }

    public String kernel() { return kernel; }
    public double bound() { return 1e-4; }
    public String measure() { return "|d|/op(|x|,|w|) vs float64"; }
    public List<int[]> shapes(boolean quick) { return quick ? shapes.subList(0, Math.min(2, shapes.size())) : shapes; }

    static Conv2dGeometry geometry(int[] s) {
        return new Conv2dGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]);
    }

    public Run run(Device d, CachingAllocator alloc, int[] shape, long seed) {
        Conv2dGeometry g = geometry(shape);
        if (path != null && Path.of(g) != path)
            throw new IllegalStateException("self-test of " + kernel + ": shape takes path " + Path.of(g)
                    + ", not " + path);
        SplittableRandom r = new SplittableRandom(seed);
        CpuBackend cpu = CpuBackend.INSTANCE;
        float[] x = KernelCheck.random(r, (int) g.inputShape().numel(), -1, 1);
        float[] w = KernelCheck.random(r, (int) g.weightShape().numel(), -1, 1);
        float[] gy = KernelCheck.random(r, (int) g.outputShape().numel(), -1, 1);
        float[] bias = KernelCheck.random(r, g.cout(), -1, 1);
        Tensor tx = cpu.fromArray(wide(x), g.inputShape()), tw = cpu.fromArray(wide(w), g.weightShape()),
                tgy = cpu.fromArray(wide(gy), g.outputShape());
        Tensor ax = cpu.fromArray(wide(abs(x)), g.inputShape()), aw = cpu.fromArray(wide(abs(w)), g.weightShape()),
                agy = cpu.fromArray(wide(abs(gy)), g.outputShape());
        try (LaunchCase c = new LaunchCase(d, alloc)) {
            int bx = c.in(x), bw = c.in(w), bgy = c.in(gy), bb = c.in(bias);
            double worst = 0;
            for (Op op : ops) {
                double[] ref, scale;
                int out;
                switch (op) {
                    case FORWARD, FORWARD_BIAS -> {
                        boolean withBias = op == Op.FORWARD_BIAS;
                        Tensor tb = withBias ? cpu.fromArray(wide(bias), Shape.of(g.cout())) : null;
                        ref = cpu.toDoubleArray(cpu.conv2d(tx, tw, tb, g));
                        Tensor ab = withBias ? cpu.fromArray(wide(abs(bias)), Shape.of(g.cout())) : null;
                        scale = cpu.toDoubleArray(cpu.conv2d(ax, aw, ab, g));
                        int o = out = c.out(ref.length);
                        c.via(() -> ConvLauncher.forward(d, alloc, c.address(o), c.address(bx), c.address(bw),
                                withBias ? c.address(bb) : 0, g));
                    }
                    case BACKWARD_INPUT -> {
                        ref = cpu.toDoubleArray(cpu.conv2dBackwardInput(tgy, tw, g));
                        scale = cpu.toDoubleArray(cpu.conv2dBackwardInput(agy, aw, g));
                        int o = out = c.out(ref.length);
                        c.via(() ->
                                ConvLauncher.backwardInput(d, alloc, c.address(o), c.address(bgy), c.address(bw), g));
                    }
                    case BACKWARD_WEIGHT -> {
                        ref = cpu.toDoubleArray(cpu.conv2dBackwardWeight(tx, tgy, g));
                        scale = cpu.toDoubleArray(cpu.conv2dBackwardWeight(ax, agy, g));
                        int o = out = c.out(ref.length);
                        c.via(() ->
                                ConvLauncher.backwardWeight(d, alloc, c.address(o), c.address(bx), c.address(bgy), g));
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
                worst = Math.max(worst, scaledError(c.read(out), ref, scale));
            }
            return new Run(worst, c.outputs());
        }
    }

    /** max |got - ref| / scale, infinite at any NaN (an element never written reads the poison). */
    static double scaledError(float[] got, double[] ref, double[] scale) {
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i])) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs((double) got[i] - ref[i]) / Math.max(scale[i], 1e-30));
        }
        return worst;
    }

    private static double[] wide(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
        return a;
    }
}
