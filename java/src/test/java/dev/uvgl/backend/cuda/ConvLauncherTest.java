package dev.uvgl.backend.cuda;

import dev.uvgl.backend.Conv2dGeometry;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.ConvLauncher.Path;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ConvLauncher on the emulated device against the CPU backend's conv2d and both gradients. Errors are
 * measured against the same op on |x|, |w|, |dy| (the magnitude of the terms summed), as in ConvCheck.
 */
class ConvLauncherTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final double FP32_BOUND = 1e-4;

    @Test void depthwiseStencilMatchesTheCpu() {
        // ConvNeXt's 7x7 pad 3, odd C
        check(geometry(2, 9, 11, 5, 5, 7, 7, 1, 1, 3, 3, 5), Path.DEPTHWISE_STENCIL);
        // 128-bit loads, partial slice
        check(geometry(1, 12, 13, 40, 40, 7, 7, 1, 1, 3, 3, 40), Path.DEPTHWISE_STENCIL);
        // non-square kernel, uneven padding
        check(geometry(1, 6, 9, 7, 7, 5, 3, 1, 1, 1, 2, 7), Path.DEPTHWISE_STENCIL);
        // padding wider than the kernel
        check(geometry(1, 5, 5, 3, 3, 3, 3, 1, 1, 4, 0, 3), Path.DEPTHWISE_STENCIL);
    }

    @Test void patchGemmMatchesTheCpu() {
        check(geometry(2, 16, 20, 3, 8, 4, 4, 4, 4, 0, 0, 1), Path.PATCH_GEMM);   // ConvNeXt's stem
        check(geometry(1, 8, 6, 12, 24, 2, 2, 2, 2, 0, 0, 1), Path.PATCH_GEMM);   // ConvNeXt's downsample
        check(geometry(2, 9, 8, 5, 6, 2, 3, 2, 3, 0, 0, 1), Path.PATCH_GEMM);     // rows and columns left uncovered
        check(geometry(1, 4, 4, 3, 5, 1, 1, 1, 1, 0, 0, 1), Path.PATCH_GEMM);     // 1x1 (a plain GEMM)
    }

    @Test void directConvolutionMatchesTheCpuForGroupedStridedPaddedNonSquareGeometries() {
        check(geometry(2, 9, 8, 6, 4, 3, 2, 2, 1, 1, 0, 2), Path.DIRECT);
        check(geometry(1, 11, 7, 6, 9, 5, 3, 3, 2, 2, 1, 3), Path.DIRECT);
        check(geometry(1, 9, 9, 4, 4, 3, 3, 2, 2, 1, 1, 4), Path.DIRECT);     // depthwise, stride 2
        // depthwise 9x9: too many taps for the stencil
        check(geometry(1, 10, 10, 2, 2, 9, 9, 1, 1, 4, 4, 2), Path.DIRECT);
        check(geometry(1, 8, 8, 3, 4, 2, 2, 2, 2, 1, 1, 1), Path.DIRECT);     // kernel == stride, but padded
        check(geometry(2, 5, 6, 4, 6, 1, 1, 1, 1, 0, 0, 2), Path.DIRECT);     // grouped 1x1
    }

    @Test void patchGemmInBf16StaysWithinTheBf16Bound() {
        Conv2dGeometry g = geometry(1, 8, 8, 3, 8, 4, 4, 4, 4, 0, 0, 1);
        Inputs in = new Inputs(g, 3);
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            long y = e.poisoned(g.outputShape().numel());
            ConvLauncher.forward(e.device, e.alloc, y, e.upload(in.x), e.upload(in.w), 0, g, GemmPrecision.BF16);
            double err = scaledError(e.read(y, g.outputShape().numel()), CPU.conv2d(in.tx(), in.tw(), null, g),
                    CPU.conv2d(abs(in.tx()), abs(in.tw()), null, g));
            assertTrue(err <= 1.0 / 128 + 1e-5 && err > 1e-5,
                    "BF16 error " + err + " should be BF16-sized, within 2^-7");
        }
    }

    @Test void depthwiseWeightGradientIsBitwiseReproducibleAcrossSchedules() {
        Conv2dGeometry g = geometry(2, 17, 9, 33, 33, 7, 7, 1, 1, 3, 3, 33);
        assertArrayEquals(weightGradient(g, 1), weightGradient(g, 2));
    }

    @Test void emptyBatchGivesAZeroWeightGradient() {
        Conv2dGeometry g = geometry(0, 5, 5, 4, 6, 3, 3, 1, 1, 1, 1, 2);
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            long dw = e.poisoned(g.weightShape().numel());
            ConvLauncher.backwardWeight(e.device, e.alloc, dw, e.upload(new float[0]), e.upload(new float[0]), g);
            assertArrayEquals(new float[g.weightShape().numel()], e.read(dw, g.weightShape().numel()));
        }
    }

    @Test void routingSendsConvNeXtsOpsToTheirFastPaths() {
        assertEquals(Path.DEPTHWISE_STENCIL, Path.of(geometry(8, 56, 56, 96, 96, 7, 7, 1, 1, 3, 3, 96)));
        assertEquals(Path.PATCH_GEMM, Path.of(geometry(8, 224, 224, 3, 96, 4, 4, 4, 4, 0, 0, 1)));
        assertEquals(Path.PATCH_GEMM, Path.of(geometry(8, 56, 56, 96, 192, 2, 2, 2, 2, 0, 0, 1)));
        assertEquals(Path.DIRECT, Path.of(geometry(8, 56, 56, 96, 96, 7, 7, 2, 2, 3, 3, 96)));
    }

    private static float[] weightGradient(Conv2dGeometry g, long schedule) {
        Inputs in = new Inputs(g, 5);
        try (EmuLaunchFixture e = new EmuLaunchFixture(schedule)) {
            long dw = e.poisoned(g.weightShape().numel());
            ConvLauncher.backwardWeight(e.device, e.alloc, dw, e.upload(in.x), e.upload(in.gy), g);
            return e.read(dw, g.weightShape().numel());
        }
    }

    /** Forward with and without bias, both gradients; each within the FP32 bound, scratch all returned. */
    private static void check(Conv2dGeometry g, Path expected) {
        assertEquals(expected, Path.of(g), "test geometry " + g + " takes another path");
        Inputs in = new Inputs(g, g.hashCode());
        Tensor ax = abs(in.tx()), aw = abs(in.tw()), agy = abs(in.tgy()), ab = abs(in.tb());
        try (EmuLaunchFixture e = new EmuLaunchFixture(1)) {
            long x = e.upload(in.x), w = e.upload(in.w), gy = e.upload(in.gy), b = e.upload(in.bias);
            int ny = g.outputShape().numel(), nx = g.inputShape().numel(), nw = g.weightShape().numel();
            long y = e.poisoned(ny), yb = e.poisoned(ny), dx = e.poisoned(nx), dw = e.poisoned(nw);
            ConvLauncher.forward(e.device, e.alloc, y, x, w, 0, g);
            ConvLauncher.forward(e.device, e.alloc, yb, x, w, b, g);
            ConvLauncher.backwardInput(e.device, e.alloc, dx, gy, w, g);
            ConvLauncher.backwardWeight(e.device, e.alloc, dw, x, gy, g);
            assertWithin(g + " forward", e.read(y, ny), CPU.conv2d(in.tx(), in.tw(), null, g),
                    CPU.conv2d(ax, aw, null, g));
            assertWithin(g + " forward+bias", e.read(yb, ny), CPU.conv2d(in.tx(), in.tw(), in.tb(), g),
                    CPU.conv2d(ax, aw, ab, g));
            assertWithin(g + " backwardInput", e.read(dx, nx), CPU.conv2dBackwardInput(in.tgy(), in.tw(), g),
                    CPU.conv2dBackwardInput(agy, aw, g));
            assertWithin(g + " backwardWeight", e.read(dw, nw), CPU.conv2dBackwardWeight(in.tx(), in.tgy(), g),
                    CPU.conv2dBackwardWeight(ax, agy, g));
            e.assertNoScratchLeft();
        }
    }

    private static void assertWithin(String what, float[] got, Tensor ref, Tensor scale) {
        double err = scaledError(got, ref, scale);
        assertTrue(err <= FP32_BOUND, what + ": error " + err + " > " + FP32_BOUND);
    }

    private static double scaledError(float[] got, Tensor tref, Tensor tscale) {
        float[] ref = tref.toFloatArray(), scale = tscale.toFloatArray();
        assertEquals(ref.length, got.length);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i])) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs((double) got[i] - ref[i]) / Math.max(scale[i], 1e-30));
        }
        return worst;
    }

    private static Tensor abs(Tensor t) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
        return CPU.fromArray(v, t.shape());
    }

    private static Conv2dGeometry geometry(int n, int h, int w, int cin, int cout, int kh, int kw, int sh, int sw,
            int ph, int pw, int groups) {
        return new Conv2dGeometry(n, h, w, cin, cout, kh, kw, sh, sw, ph, pw, groups);
    }

    /** Seeded random x, w, dy and bias for a geometry, in [-1, 1). */
    private record Inputs(Conv2dGeometry g, float[] x, float[] w, float[] gy, float[] bias) {
        Inputs(Conv2dGeometry g, long seed) { this(g, new SplittableRandom(seed)); }
        private Inputs(Conv2dGeometry g, SplittableRandom r) {
            this(g, GemmLauncherTest.random(r, g.inputShape().numel()),
                    GemmLauncherTest.random(r, g.weightShape().numel()),
                    GemmLauncherTest.random(r, g.outputShape().numel()), GemmLauncherTest.random(r, g.cout()));
        }
        Tensor tx() { return CPU.fromArray(x, g.inputShape()); }
        Tensor tw() { return CPU.fromArray(w, g.weightShape()); }
        Tensor tgy() { return CPU.fromArray(gy, g.outputShape()); }
        Tensor tb() { return CPU.fromArray(bias, Shape.of(g.cout())); }
    }
}
