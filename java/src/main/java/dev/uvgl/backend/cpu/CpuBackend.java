package dev.uvgl.backend.cpu;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.Kernels;
import dev.uvgl.backend.TopK;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

/**
 * The CPU backend: heap arrays, kernels in Java parallelised over the cores, GEMM through OpenBLAS.
 * Float32 for training; float64 for gradient checks, from the same kernel source (F32Kernels).
 * Every kernel dispatches on its first tensor's precision; mixing precisions is an error.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public String name() { return "cpu"; }

    private static Kernels k(Tensor t) {
        Kernels k = switch (t.dtype()) {
            case F32 -> F32Kernels.INSTANCE;
            case F64 -> F64Kernels.INSTANCE;
        };
        return KernelProfiler.wrap(k);
    }

    // ---- creation and transfer ----

    @Override public Tensor zeros(Shape shape, DType dtype) { return full(shape, dtype, 0.0); }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        return switch (dtype) {
            case F32 -> {
                float[] a = new float[shape.numel()];
                java.util.Arrays.fill(a, (float) value);
                yield F32Storage.wrap(a, shape);
            }
            case F64 -> {
                double[] a = new double[shape.numel()];
                java.util.Arrays.fill(a, value);
                yield F64Storage.wrap(a, shape);
            }
        };
    }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        return F32Storage.wrap(checked(data.clone(), data.length, shape), shape);
    }

    @Override public Tensor fromArray(double[] data, Shape shape) {
        return F64Storage.wrap(checked(data.clone(), data.length, shape), shape);
    }

    private static <T> T checked(T data, int length, Shape shape) {
        if (length != shape.numel()) throw new IllegalArgumentException(length + " values do not fill shape " + shape);
        return data;
    }

    @Override public float[] toFloatArray(Tensor x) {
        if (x.dtype() == DType.F32) return F32Storage.of(x).clone();
        double[] d = F64Storage.of(x);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Override public double[] toDoubleArray(Tensor x) {
        if (x.dtype() == DType.F64) return F64Storage.of(x).clone();
        float[] f = F32Storage.of(x);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override public Tensor copy(Tensor x) {
        return x.dtype() == DType.F32 ? F32Storage.wrap(F32Storage.of(x).clone(), x.shape())
                : F64Storage.wrap(F64Storage.of(x).clone(), x.shape());
    }

    @Override public Tensor toDType(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return copy(x);
        return dtype == DType.F32 ? F32Storage.wrap(toFloatArray(x), x.shape())
                : F64Storage.wrap(toDoubleArray(x), x.shape());
    }

    // ---- kernels: dispatch on precision ----

    @Override public Tensor add(Tensor a, Tensor b) { return k(a).add(a, b); }

    @Override public Tensor mul(Tensor a, Tensor b) { return k(a).mul(a, b); }

    @Override public Tensor affine(Tensor x, double scale, double shift) { return k(x).affine(x, scale, shift); }

    @Override public void addInPlace(Tensor acc, Tensor x) { k(acc).addInPlace(acc, x); }

    @Override public Tensor sumToSuffix(Tensor g, Shape suffix) { return k(g).sumToSuffix(g, suffix); }

    @Override public Tensor gelu(Tensor x) { return k(x).gelu(x); }

    @Override public Tensor geluBackward(Tensor x, Tensor gy) { return k(x).geluBackward(x, gy); }

    @Override public Tensor sumAll(Tensor x) { return k(x).sumAll(x); }

    @Override public Tensor sum(Tensor x, int axis, boolean keepDim) { return k(x).sum(x, axis, keepDim); }

    @Override public Tensor broadcastAlong(Tensor g, Shape xShape, int axis) {
        return k(g).broadcastAlong(g, xShape, axis);
    }

    @Override public Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        return k(a).matmul(a, transA, b, transB);
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor biasOrNull, Conv2dGeometry g) {
        return k(x).conv2d(x, w, biasOrNull, g);
    }

    @Override public Tensor conv2dBackwardInput(Tensor gy, Tensor w, Conv2dGeometry g) {
        return k(gy).conv2dBackwardInput(gy, w, g);
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor gy, Conv2dGeometry g) {
        return k(x).conv2dBackwardWeight(x, gy, g);
    }

    @Override public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, int axis, double eps) {
        return k(x).layerNorm(x, gamma, beta, axis, eps);
    }

    @Override public Tensor[] layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy, int axis) {
        return k(x).layerNormBackward(x, gamma, mean, rstd, gy, axis);
    }

    @Override public Tensor globalAvgPool(Tensor x) { return k(x).globalAvgPool(x); }

    @Override public Tensor globalAvgPoolBackward(Tensor gy, Shape xShape) {
        return k(gy).globalAvgPoolBackward(gy, xShape);
    }

    @Override public Tensor l2Normalize(Tensor x, double eps) { return k(x).l2Normalize(x, eps); }

    @Override public Tensor l2NormalizeBackward(Tensor x, Tensor gy, double eps) {
        return k(x).l2NormalizeBackward(x, gy, eps);
    }

    @Override public Tensor softmax(Tensor x) { return k(x).softmax(x); }

    @Override public Tensor softmaxBackward(Tensor y, Tensor gy) { return k(y).softmaxBackward(y, gy); }

    @Override public Tensor logSoftmax(Tensor x) { return k(x).logSoftmax(x); }

    @Override public Tensor logSoftmaxBackward(Tensor y, Tensor gy) { return k(y).logSoftmaxBackward(y, gy); }

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] labels, double temperature) {
        return k(logits).softmaxCrossEntropy(logits, labels, temperature);
    }

    @Override public Tensor softmaxCrossEntropyBackward(Tensor probs, int[] labels, double temperature, Tensor gLoss) {
        return k(probs).softmaxCrossEntropyBackward(probs, labels, temperature, gLoss);
    }

    @Override public Tensor klUniform(Tensor p) { return k(p).klUniform(p); }

    @Override public Tensor klUniformBackward(Tensor p, Tensor gLoss) { return k(p).klUniformBackward(p, gLoss); }

    @Override public TopK topk(Tensor x, int k) { return k(x).topk(x, k); }

    @Override public TopK nearestRows(Tensor queries, Tensor keys, int k) { return k(queries).nearestRows(queries, keys,
            k); }

    @Override public Tensor topkBackward(Tensor gValues, int[] indices, Shape xShape) {
        return k(gValues).topkBackward(gValues, indices, xShape);
    }

    @Override public Tensor gatherRows(Tensor x, int[] rows) { return k(x).gatherRows(x, rows); }

    @Override public Tensor permute(Tensor x, int[] perm) { return k(x).permute(x, perm); }

    @Override
    public void adamwStepInPlace(Tensor param, Tensor grad, Tensor m, Tensor v, double decay, double beta1,
            double beta2,
                                           double stepSize, double bc2sqrt, double eps) {
        k(param).adamwStepInPlace(param, grad, m, v, decay, beta1, beta2, stepSize, bc2sqrt, eps);
    }

    @Override
    public void sgdStepInPlace(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum,
            double weightDecay, boolean firstStep) {
        k(param).sgdStepInPlace(param, grad, momentumBuffer, lr, momentum, weightDecay, firstStep);
    }
}
