package dev.uvgl.harness;

import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.backend.cuda.DeviceScope;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.DeviceEvent;
import dev.uvgl.tensor.DType;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Times each op of the CUDA backend that is not a convolution or a GEMM on about `elements` float32
 * elements, and sets its effective bandwidth (the bytes it must move at least: inputs read once, outputs
 * written once) against a device-to-device copy of the same size measured in the same run, the ceiling
 * for a streaming kernel. Ops that launch one kernel are timed per launch; the others (losses, LayerNorm
 * backward, reductions: a partial and a finishing kernel) per op, and say which kernels they launch.
 */
public final class OpBandwidthBench {
    /** One figure: milliseconds per call, GB/s, and that as a fraction of the copy's GB/s. */
    public record Row(String op, String kernels, double ms, double gbPerSecond, double ofCopy) {}

    public record Result(double copyGbPerSecond, List<Row> rows) {}

    private record Case(String op, String kernels, long bytes, Consumer<CudaBackend> body) {}

    private OpBandwidthBench() {}

    public static Result run(CudaBackend be, int elements, int reps) {
        int c = 96, rowLen = 1000;
        int n = Math.max(c * 4, elements / (c * 4) * (c * 4));
        SplittableRandom r = new SplittableRandom(1);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) r.nextDouble(0.01, 1);
        try (DeviceScope scope = be.scope()) {
            Tensor x = be.fromArray(data, Shape.of(n)), y = be.fromArray(data, Shape.of(n));
            Tensor rowsC = x.view(Shape.of(n / c, c)), gammaC = be.full(Shape.of(c), DType.F32, 1),
                    betaC = be.zeros(Shape.of(c), DType.F32);
            int hw = n / c / 4;
            Tensor nhwc = x.view(Shape.of(4, hw, 1, c)), pooledGrad = be.full(Shape.of(4, c), DType.F32, 1);
            int rows = Math.max(1, n / rowLen);
            Tensor wide = be.fromArray(java.util.Arrays.copyOf(data, rows * rowLen), Shape.of(rows, rowLen));
            Tensor probs = be.softmax(wide), one = be.full(Shape.of(), DType.F32, 1),
                    buf = be.zeros(Shape.of(n), DType.F32);
            int[] labels = new int[rows];
            Tensor[] ln = be.layerNorm(rowsC, gammaC, betaC, -1, 1e-5);
            Tensor[] lnMid = be.layerNorm(x.view(Shape.of(4, c, hw)), gammaC, betaC, 1, 1e-5);
            long b = 4L * n, bw = 4L * rows * rowLen;
            List<Case> cases = List.of(
                    new Case("add", "uvgl_add_f32", 3 * b, k -> k.add(x, y)),
                    new Case("add (row broadcast)", "uvgl_add_f32", 2 * b, k -> k.add(rowsC, gammaC)),
                    new Case("mul", "uvgl_mul_f32", 3 * b, k -> k.mul(x, y)),
                    new Case("affine", "uvgl_affine_f32", 2 * b, k -> k.affine(x, 2, 1)),
                    new Case("addInPlace", "uvgl_axpy_f32", 3 * b, k -> k.addInPlace(buf, x)),
                    new Case("gelu", "uvgl_gelu_f32", 2 * b, k -> k.gelu(x)),
                    new Case("geluBackward", "uvgl_gelu_bwd_f32", 3 * b, k -> k.geluBackward(x, y)),
                    new Case("sgdStep", "uvgl_sgd_step_f32", 5 * b,
                            k -> k.sgdStepInPlace(y, x, buf, 1e-6, 0.9, 0, false)),
                    new Case("sumAll", "uvgl_reduce_rows_partial_f32 + finish", b, k -> k.sumAll(x)),
                    new Case("sum over last axis (C=96)", "uvgl_reduce_rows_partial_f32 + finish", b,
                            k -> k.sum(rowsC, -1, false)),
                    new Case("sumToSuffix (to C=96)", "uvgl_reduce_cols_partial_f32 + finish", b,
                            k -> k.sumToSuffix(rowsC, Shape.of(c))),
                    new Case("broadcastAlong", "uvgl_broadcast_mid_f32", b,
                            k -> k.broadcastAlong(gammaC, rowsC.shape(), 0)),
                    new Case("globalAvgPool", "uvgl_reduce_cols_partial_f32 + finish", b, k -> k.globalAvgPool(nhwc)),
                    new Case("globalAvgPoolBackward", "uvgl_broadcast_mid_f32", b,
                            k -> k.globalAvgPoolBackward(pooledGrad, nhwc.shape())),
                    new Case("layerNorm last axis (C=96)", "uvgl_layernorm_fwd_f32", 2 * b,
                            k -> k.layerNorm(rowsC, gammaC, betaC, -1, 1e-5)),
                    new Case("layerNorm middle axis", "uvgl_layernorm_fwd_strided_f32", 2 * b,
                            k -> k.layerNorm(x.view(Shape.of(4, c, hw)), gammaC, betaC, 1, 1e-5)),
                    new Case("layerNormBackward last axis",
                            "uvgl_layernorm_bwd_dx_f32 + params_partial + 2 finish", 5 * b,
                            k -> k.layerNormBackward(rowsC, gammaC, ln[1], ln[2], rowsC, -1)),
                    new Case("layerNormBackward middle axis",
                            "uvgl_layernorm_bwd_dx_strided_f32 + params_partial + 2 finish", 5 * b,
                            k -> k.layerNormBackward(x.view(Shape.of(4, c, hw)), gammaC, lnMid[1], lnMid[2],
                                    x.view(Shape.of(4, c, hw)), 1)),
                    new Case("l2Normalize (d=1000)", "uvgl_l2norm_f32", 2 * bw, k -> k.l2Normalize(wide, 1e-12)),
                    new Case("l2NormalizeBackward", "uvgl_l2norm_bwd_f32", 3 * bw,
                            k -> k.l2NormalizeBackward(wide, wide, 1e-12)),
                    new Case("softmax (d=1000)", "uvgl_softmax_f32", 2 * bw, k -> k.softmax(wide)),
                    new Case("logSoftmax", "uvgl_log_softmax_f32", 2 * bw, k -> k.logSoftmax(wide)),
                    new Case("softmaxBackward", "uvgl_softmax_bwd_f32", 3 * bw, k -> k.softmaxBackward(probs, wide)),
                    new Case("logSoftmaxBackward", "uvgl_log_softmax_bwd_f32", 3 * bw,
                            k -> k.logSoftmaxBackward(probs, wide)),
                    new Case("softmaxCrossEntropy", "uvgl_softmax_xent_f32 + rows_partial + finish", 2 * bw,
                            k -> k.softmaxCrossEntropy(wide, labels, 0.05)),
                    new Case("softmaxCrossEntropyBackward", "uvgl_softmax_xent_bwd_f32", 2 * bw,
                            k -> k.softmaxCrossEntropyBackward(probs, labels, 0.05, one)),
                    new Case("klUniform", "uvgl_kl_uniform_partial_f32 + finish", bw, k -> k.klUniform(probs)),
                    new Case("klUniformBackward", "uvgl_kl_uniform_bwd_f32", 2 * bw,
                            k -> k.klUniformBackward(probs, one)),
                    new Case("topk k=10 (d=1000)", "uvgl_topk_f32 (+ index download)", bw, k -> k.topk(wide, 10)),
                    new Case("permute NCHW->NHWC", "uvgl_permute_f32", 2 * b,
                            k -> k.permute(x.view(Shape.of(4, c, hw)), new int[] {0, 2, 1})));
            double copy = copyGbPerSecond(be.device(), n, reps);
            List<Row> out = new ArrayList<>();
            for (Case k : cases) {
                double ms = time(be, k.body(), reps);
                double gbs = k.bytes() / (ms * 1e6);
                out.add(new Row(k.op(), k.kernels(), ms, gbs, gbs / copy));
            }
            return new Result(copy, out);
        }
    }

    /** Milliseconds per call after one warm-up; each call's outputs go back to the allocator by the next. */
    private static double time(CudaBackend be, Consumer<CudaBackend> body, int reps) {
        try (DeviceScope warm = be.scope()) { body.accept(be); }
        Device d = be.device();
        d.synchronize();
        DeviceEvent t0 = d.record();
        for (int i = 0; i < reps; i++) try (DeviceScope s = be.scope()) { body.accept(be); }
        DeviceEvent t1 = d.record();
        d.synchronize();
        double ms = d.elapsedMillis(t0, t1) / reps;
        t0.close();
        t1.close();
        return Math.max(ms, 1e-6);
    }

    /** A device-to-device copy of n floats: 8 n bytes moved (read and write). */
    private static double copyGbPerSecond(Device d, int n, int reps) {
        DeviceBuffer a = null, b = null;
        try {
            a = new DeviceBuffer(d.allocate(4L * n, "bench copy source"), 4L * n, "bench copy source");
            b = new DeviceBuffer(d.allocate(4L * n, "bench copy target"), 4L * n, "bench copy target");
            d.copyDeviceToDevice(b.address(), a.address(), 4L * n);
            d.synchronize();
            DeviceEvent t0 = d.record();
            for (int i = 0; i < reps; i++) d.copyDeviceToDevice(b.address(), a.address(), 4L * n);
            DeviceEvent t1 = d.record();
            d.synchronize();
            double ms = Math.max(d.elapsedMillis(t0, t1) / reps, 1e-6);
            t0.close();
            t1.close();
            return 8.0 * n / (ms * 1e6);
        } finally {
            if (a != null) d.free(a.address());
            if (b != null) d.free(b.address());
        }
    }
}
