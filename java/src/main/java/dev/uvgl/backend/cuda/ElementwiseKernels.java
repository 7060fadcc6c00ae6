package dev.uvgl.backend.cuda;

import dev.uvgl.device.KernelArgs;

/** fill.cu, copy.cu, axpy.cu and elementwise.cu: one element (or one float4) per thread, grid-stride. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** out[0, n) = value. */
    public static Launch fill(long out, float value, long n) {
        return new Launch("uvgl_fill_f32", LaunchShape.perFloat4(n), new KernelArgs().ptr(out).f32(value).i64(n));
    }

    /** out[0, n) = in[0, n): the copy a graph of launches needs; the backend itself copies with the copy engine. */
    public static Launch copy(long out, long in, long n) {
        return new Launch("uvgl_copy_f32", LaunchShape.perThread(n), new KernelArgs().ptr(out).ptr(in).i64(n));
    }

    /** y = fmaf(alpha, x, y): with alpha 1 exactly y + x, the gradient accumulation. */
    public static Launch axpy(long y, long x, float alpha, long n) {
        return new Launch("uvgl_axpy_f32", LaunchShape.perThread(n), new KernelArgs().ptr(y).ptr(x).f32(alpha).i64(n));
    }

    /** out = a + b, b of the trailing `inner` elements broadcast over a's n. */
    public static Launch add(long out, long a, long b, long n, int inner) {
        return binary("uvgl_add_f32", out, a, b, n, inner);
    }

    /** out = a * b, b broadcast as in add. */
    public static Launch mul(long out, long a, long b, long n, int inner) {
        return binary("uvgl_mul_f32", out, a, b, n, inner);
    }

    private static Launch binary(String kernel, long out, long a, long b, long n, int inner) {
        return new Launch(kernel, LaunchShape.perFloat4(n), new KernelArgs().ptr(out).ptr(a).ptr(b).i64(n).i32(inner));
    }

    /** out = scale x + shift. */
    public static Launch affine(long out, long x, float scale, float shift, long n) {
        return new Launch("uvgl_affine_f32", LaunchShape.perFloat4(n),
                new KernelArgs().ptr(out).ptr(x).f32(scale).f32(shift).i64(n));
    }

    /** The exact (erf) GELU. */
    public static Launch gelu(long out, long x, long n) {
        return new Launch("uvgl_gelu_f32", LaunchShape.perFloat4(n), new KernelArgs().ptr(out).ptr(x).i64(n));
    }

    public static Launch geluBackward(long dx, long x, long gy, long n) {
        return new Launch("uvgl_gelu_bwd_f32", LaunchShape.perFloat4(n),
                new KernelArgs().ptr(dx).ptr(x).ptr(gy).i64(n));
    }
}
