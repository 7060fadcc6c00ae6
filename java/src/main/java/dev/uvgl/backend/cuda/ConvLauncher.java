package dev.uvgl.backend.cuda;

import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.KernelArgs;

/**
 * 2-D convolution on the device with the CPU backend's contract: x NHWC, w OIHW, y NHWC, any kernel,
 * stride, padding and groups (Conv2dGeometry). Outputs are overwritten, never accumulated into. Each
 * geometry takes the fastest path that handles it (Path.of): the depthwise stencil (ConvNeXt's 7x7),
 * the patch GEMM (ConvNeXt's stem and downsamples), else the direct kernels. Scratch comes from the
 * allocator and goes back before each method returns. The overloads without a precision run the patch
 * GEMM in FP32, the CPU-exact path; the others compute in float32 whatever is asked.
 */
public final class ConvLauncher {
    private ConvLauncher() {}

    public static void forward(Device d, CachingAllocator scratch, long y, long x, long w, long biasOrZero,
            Conv2dGeometry g) {
        forward(d, scratch, y, x, w, biasOrZero, g, GemmPrecision.FP32);
    }

    public static void forward(Device d, CachingAllocator scratch, long y, long x, long w, long biasOrZero,
                               Conv2dGeometry g,
                               GemmPrecision precision) {
        if (g.n() == 0) return;
        switch (Path.of(g)) {
            case DEPTHWISE_STENCIL ->
                    Stencil.apply(d, y, x, w, g.n(), g.h(), g.w(), g.outH(), g.outW(), g, g.padH(), g.padW(), false);
            case PATCH_GEMM -> {
                DeviceBuffer col = scratch.allocate(4L * rows(g) * kdim(g), "conv2d patch matrix");
                try {
                    Patch.im2col(d, col.address(), x, g);
                    GemmLauncher.matmul(d, scratch, y, col.address(), false, w, true, rows(g), g.cout(),
                            kdim(g), precision);
                } finally {
                    scratch.free(col);
                }
            }
            case DIRECT -> Direct.forward(d, y, x, w, g);
        }
        if (biasOrZero != 0) {
            long positions = (long) g.n() * g.outH() * g.outW();
            d.launch("uvgl_conv_bias_add", Grid.strided(positions * g.cout()), Grid.BLOCK, 0,
                    new KernelArgs().ptr(y).ptr(biasOrZero).i64(positions).i32(g.cout()));
        }
    }

    public static void backwardInput(Device d, CachingAllocator scratch, long dx, long gy, long w, Conv2dGeometry g) {
        backwardInput(d, scratch, dx, gy, w, g, GemmPrecision.FP32);
    }

    public static void backwardInput(Device d, CachingAllocator scratch, long dx, long gy, long w, Conv2dGeometry g,
                                     GemmPrecision precision) {
        if (g.n() == 0) return;
        switch (Path.of(g)) {
            // The adjoint of a stride-1 stencil: the same stencil over dy with the kernel rotated 180
            // degrees and the complementary padding.
            case DEPTHWISE_STENCIL -> Stencil.apply(d, dx, gy, w, g.n(), g.outH(), g.outW(), g.h(), g.w(), g,
                    g.kh() - 1 - g.padH(), g.kw() - 1 - g.padW(), true);
            case PATCH_GEMM -> {
                DeviceBuffer dcol = scratch.allocate(4L * rows(g) * kdim(g), "conv2d patch-matrix gradient");
                try {
                    GemmLauncher.matmul(d, scratch, dcol.address(), gy, false, w, false, rows(g), kdim(g),
                            g.cout(), precision);
                    Patch.col2im(d, dx, dcol.address(), g);
                } finally {
                    scratch.free(dcol);
                }
            }
            case DIRECT ->
                    Direct.launch(d, "uvgl_conv2d_direct_dgrad", dx, gy, w, g, (long) g.n() * g.h() * g.w() * g.cin());
        }
    }

    public static void backwardWeight(Device d, CachingAllocator scratch, long dw, long x, long gy, Conv2dGeometry g) {
        backwardWeight(d, scratch, dw, x, gy, g, GemmPrecision.FP32);
    }

    public static void backwardWeight(Device d, CachingAllocator scratch, long dw, long x, long gy, Conv2dGeometry g,
                                      GemmPrecision precision) {
        long weights = (long) g.cout() * g.cinPerGroup() * g.kh() * g.kw();
        if (g.n() == 0) {  // no samples: the gradient is zero, and still fully written
            sumPartials(dw, dw, weights, 0).on(d);
            return;
        }
        switch (Path.of(g)) {
            case DEPTHWISE_STENCIL -> Stencil.weightGradient(d, scratch, dw, x, gy, g);
            case PATCH_GEMM -> {
                DeviceBuffer col = scratch.allocate(4L * rows(g) * kdim(g), "conv2d patch matrix");
                try {
                    Patch.im2col(d, col.address(), x, g);
                    GemmLauncher.matmul(d, scratch, dw, gy, true, col.address(), false, g.cout(), kdim(g),
                            rows(g), precision);
                } finally {
                    scratch.free(col);
                }
            }
            case DIRECT -> Direct.weightGradient(d, scratch, dw, x, gy, g, weights);
        }
    }

    /** Output positions n * outH * outW: the GEMM rows of the patch path. */
    private static int rows(Conv2dGeometry g) {
        long r = (long) g.n() * g.outH() * g.outW();
        if (r > Integer.MAX_VALUE)
            throw new IllegalArgumentException("conv2d: " + r + " output positions exceed 2^31; use a smaller batch");
        return (int) r;
    }

    /** Patch length cin/groups * kh * kw: the GEMM depth of the patch path. */
    private static int kdim(Conv2dGeometry g) { return g.cinPerGroup() * g.kh() * g.kw(); }

    /** Which kernels run a geometry (public so checks can prove they cover each path). */
    public enum Path {
        DEPTHWISE_STENCIL, PATCH_GEMM, DIRECT;

        public static Path of(Conv2dGeometry g) {
            if (g.depthwise() && g.strideH() == 1 && g.strideW() == 1 && Stencil.fits(g)) return DEPTHWISE_STENCIL;
            if (g.groups() == 1 && g.kh() == g.strideH() && g.kw() == g.strideW() && g.padH() == 0 && g.padW() == 0)
                return PATCH_GEMM;
            return DIRECT;
        }
    }

    /**
     * out[i] = the sum over p < parts of partial[p * count + i], in p order (0 parts: zeros): the second pass of
     * every split weight gradient here and of GemmLauncher's split K.
     */
    public static Launch sumPartials(long out, long partial, long count, int parts) {
        return new Launch("uvgl_sum_partials", new LaunchShape(Grid.strided(count), Grid.BLOCK),
                new KernelArgs().ptr(out).ptr(partial).i64(count).i32(parts));
    }

    /** Launch shapes of the grid-stride kernels. */
    private static final class Grid {
        static final Dim3 BLOCK = Dim3.of(256);
        /** Enough blocks to cover the work once, capped: the kernels stride over the rest. */
        static Dim3 strided(long elements) {
            return Dim3.of((int) Math.max(1, Math.min((elements + 255) / 256, 1 << 20)));
        }
    }

    /** dwconv.cu: 32 channels x an 8x8 output tile per block; the wgrad keeps at most 8 taps per thread. */
    private static final class Stencil {
        static final int TILE = 8, CHANNELS = 32, MAX_TAPS = 64, MAX_SHARED = 98304, PARTIAL_BLOCKS = 128;

        static boolean fits(Conv2dGeometry g) {
            return g.kh() * g.kw() <= MAX_TAPS && wgradShared(g) <= MAX_SHARED && forwardShared(g) <= MAX_SHARED;
        }

        private static int haloFloats(Conv2dGeometry g) { return (TILE + g.kh() - 1) * (TILE + g.kw() - 1) * CHANNELS; }
        private static int forwardShared(Conv2dGeometry g) { return 4 * (haloFloats(g) + g.kh() * g.kw() * CHANNELS); }
        private static int wgradShared(Conv2dGeometry g) { return 4 * (haloFloats(g) + TILE * TILE * CHANNELS); }

        /** out [n, outH, outW, C] = in [n, inH, inW, C] stencilled with w (rotated when flip). */
        static void apply(Device d, long out, long in, long w, int n, int inH, int inW, int outH, int outW,
                          Conv2dGeometry g,
                          int padH, int padW, boolean flip) {
            int tiles = ceil(outH, TILE) * ceil(outW, TILE);
            KernelArgs a = new KernelArgs().ptr(out).ptr(in).ptr(w).i32(n).i32(inH).i32(inW).i32(g.cin())
                    .i32(outH).i32(outW)
                    .i32(g.kh()).i32(g.kw()).i32(padH).i32(padW).i32(flip ? 1 : 0);
            d.launch("uvgl_dwconv_s1", new Dim3(tiles, ceil(g.cin(), CHANNELS), n), Dim3.of(256), forwardShared(g), a);
        }

        static void weightGradient(Device d, CachingAllocator scratch, long dw, long x, long gy, Conv2dGeometry g) {
            int tiles = g.n() * ceil(g.outH(), TILE) * ceil(g.outW(), TILE);
            int perBlock = ceil(tiles, PARTIAL_BLOCKS), parts = ceil(tiles, perBlock);
            long count = (long) g.cin() * g.kh() * g.kw();
            DeviceBuffer partial = scratch.allocate(4L * parts * count, "depthwise weight-gradient partials");
            try {
                KernelArgs a = new KernelArgs().ptr(partial.address()).ptr(x).ptr(gy).i32(g.n()).i32(g.h()).i32(g.w())
                        .i32(g.cin())
                        .i32(g.outH()).i32(g.outW()).i32(g.kh()).i32(g.kw()).i32(g.padH()).i32(g.padW()).i32(perBlock);
                d.launch("uvgl_dwconv_s1_wgrad", Dim3.of(parts, ceil(g.cin(), CHANNELS)), Dim3.of(256),
                        wgradShared(g), a);
                sumPartials(dw, partial.address(), count, parts).on(d);
            } finally {
                scratch.free(partial);
            }
        }
    }

    /** conv2d_patch.cu: NHWC <-> patch matrix for kernel == stride, no padding, one group. */
    private static final class Patch {
        static void im2col(Device d, long col, long x, Conv2dGeometry g) {
            d.launch("uvgl_patch_im2col", Grid.strided((long) rows(g) * kdim(g)), Grid.BLOCK, 0, args(col, x, g));
        }

        static void col2im(Device d, long dx, long dcol, Conv2dGeometry g) {
            d.launch("uvgl_patch_col2im", Grid.strided((long) g.n() * g.h() * g.w() * g.cin()), Grid.BLOCK, 0,
                    args(dx, dcol, g));
        }

        private static KernelArgs args(long out, long in, Conv2dGeometry g) {
            return new KernelArgs().ptr(out).ptr(in).i32(g.n()).i32(g.h()).i32(g.w()).i32(g.cin()).i32(g.kh())
                    .i32(g.kw())
                    .i32(g.outH()).i32(g.outW());
        }
    }

    /** conv2d_direct.cu: any geometry; the forward is tiled, the gradients one thread per element. */
    private static final class Direct {
        /** Output positions per weight-gradient chunk: at most this many chunks, each summed in order. */
        static final int WGRAD_CHUNKS = 64;

        /** Forward tiles: 64 output positions x 32 output channels of one group per block. */
        static final int POSITIONS = 64, CHANNELS = 32;

        static void forward(Device d, long y, long x, long w, Conv2dGeometry g) {
            long positions = (long) g.n() * g.outH() * g.outW();
            Dim3 grid = Dim3.of((int) ((positions + POSITIONS - 1) / POSITIONS),
                    g.groups() * ceil(g.coutPerGroup(), CHANNELS));
            d.launch("uvgl_conv2d_direct", grid, Grid.BLOCK, 0, geometry(new KernelArgs().ptr(y).ptr(x).ptr(w), g));
        }

        static void launch(Device d, String kernel, long out, long in, long w, Conv2dGeometry g, long outputs) {
            d.launch(kernel, Grid.strided(outputs), Grid.BLOCK, 0,
                    geometry(new KernelArgs().ptr(out).ptr(in).ptr(w), g));
        }

        static void weightGradient(Device d, CachingAllocator scratch, long dw, long x, long gy, Conv2dGeometry g,
                long weights) {
            long positions = (long) g.n() * g.outH() * g.outW();
            int chunk = (int) Math.min(Integer.MAX_VALUE, (positions + WGRAD_CHUNKS - 1) / WGRAD_CHUNKS);
            int parts = (int) ((positions + chunk - 1) / chunk);
            DeviceBuffer partial = scratch.allocate(4L * parts * weights, "conv2d weight-gradient partials");
            try {
                KernelArgs a = geometry(new KernelArgs().ptr(partial.address()).ptr(x).ptr(gy), g).i32(chunk);
                Dim3 grid = Dim3.of((int) Math.max(1, Math.min((weights + 255) / 256, 1 << 16)), parts);
                d.launch("uvgl_conv2d_direct_wgrad", grid, Grid.BLOCK, 0, a);
                sumPartials(dw, partial.address(), weights, parts).on(d);
            } finally {
                scratch.free(partial);
            }
        }

        private static KernelArgs geometry(KernelArgs a, Conv2dGeometry g) {
            return a.i32(g.n()).i32(g.h()).i32(g.w()).i32(g.cin()).i32(g.cout()).i32(g.kh()).i32(g.kw())
                    .i32(g.strideH())
                    .i32(g.strideW()).i32(g.padH()).i32(g.padW()).i32(g.groups()).i32(g.outH()).i32(g.outW());
        }
    }

    private static int ceil(int a, int b) { return (a + b - 1) / b; }
}
