package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.backend.cuda.LayerNormKernels;
import dev.uvgl.backend.cuda.ReducePlan;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * LayerNorm over a middle axis ([outer, C, inner]) forward, the input gradient over the last and a middle
 * axis, and the parameter-gradient partial sums, against the CPU backend (which sums in double). The
 * kernels sum C floats in float: about C x 2^-24 relative in the worst case, hence 2e-5 (forward, as the
 * last-axis kernel) and 1e-4 for dx, whose terms cancel (mean(d) and xhat mean(d xhat) are subtracted).
 */
final class LayerNormAxisChecks {
    private LayerNormAxisChecks() {}

    static final float EPS = 1e-5f;

    private record Case(float[] x, float[] gamma, float[] beta, float[] gy, Tensor[] fwd, Tensor[] bwd) {}

    /** Random x, gamma, beta, gy and the CPU forward and backward over axis 1 of [outer, c, inner]. */
    private static Case make(int outer, int c, int inner, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = outer * c * inner;
        float[] x = KernelCheck.random(r, n, -2, 3), gamma = KernelCheck.random(r, c, 0.5, 1.5),
                beta = KernelCheck.random(r, c, -1, 1),
                gy = KernelCheck.random(r, n, -1, 1);
        Tensor tx = OpCheck.cpu(x, outer, c, inner), tg = OpCheck.cpu(gamma, c);
        Tensor[] fwd = OpCheck.CPU.layerNorm(tx, tg, OpCheck.cpu(beta, c), 1, EPS);
        Tensor[] bwd = OpCheck.CPU.layerNormBackward(tx, tg, fwd[1], fwd[2], OpCheck.cpu(gy, outer, c, inner), 1);
        return new Case(x, gamma, beta, gy, fwd, bwd);
    }

    /** {outer, c, inner} */
    static final KernelCheck FORWARD_STRIDED = new OpCheck("uvgl_layernorm_fwd_strided_f32", 2e-5,
            "|d|/max(|ref|,1) on y, mean, rstd",
            OpCheck.shapes(new int[] {1, 3, 2}, new int[] {2, 33, 17}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {1, 3, 2}, new int[] {2, 33, 17}, new int[] {3, 96, 16},
                    new int[] {1, 384, 5})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], c = shape[1], inner = shape[2], rows = outer * inner;
            Case k = make(outer, c, inner, seed);
            try (LaunchCase lc = new LaunchCase(d, a)) {
                int y = lc.out(outer * c * inner), mean = lc.out(rows), rstd = lc.out(rows);
                int xi = lc.in(k.x()), gi = lc.in(k.gamma()), bi = lc.in(k.beta());
                lc.run(LayerNormKernels.forwardStrided(lc.address(y), lc.address(mean), lc.address(rstd),
                        lc.address(xi), lc.address(gi), lc.address(bi), outer, c, inner, EPS));
                double err = Math.max(KernelCheck.maxRelError(lc.read(y), ref(k.fwd()[0]), 1),
                        Math.max(KernelCheck.maxRelError(lc.read(mean), ref(k.fwd()[1]), 1),
                                KernelCheck.maxRelError(lc.read(rstd), ref(k.fwd()[2]), 1)));
                return new Run(err, lc.outputs());
            }
        }
    };

    /** {rows, c}: the last axis (inner 1), one warp per row. */
    static final KernelCheck BACKWARD_DX = new OpCheck("uvgl_layernorm_bwd_dx_f32", 1e-4, "|d|/max(|ref|,1)",
            OpCheck.shapes(new int[] {3, 1}, new int[] {33, 97}),
            OpCheck.shapes(new int[] {1, 1}, new int[] {7, 33}, new int[] {33, 97}, new int[] {64, 96},
                    new int[] {5, 768})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int rows = shape[0], c = shape[1];
            return dx(d, a, make(rows, c, 1, seed), (dx, x, g, m, r, gy) -> LayerNormKernels.backwardDx(dx, x, g, m, r,
                    gy, rows, c));
        }
    };

    static final KernelCheck BACKWARD_DX_STRIDED = new OpCheck("uvgl_layernorm_bwd_dx_strided_f32", 1e-4,
            "|d|/max(|ref|,1)",
            OpCheck.shapes(new int[] {1, 3, 2}, new int[] {2, 33, 17}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {1, 3, 2}, new int[] {2, 33, 17}, new int[] {3, 96, 16},
                    new int[] {1, 384, 5})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], c = shape[1], inner = shape[2], rows = outer * inner;
            return dx(d, a, make(outer, c, inner, seed), (dx, x, g, m, r, gy) ->
                    LayerNormKernels.backwardDxStrided(dx, x, g, m, r, gy, outer, c, inner));
        }
    };

    /** The launch of an input-gradient kernel on (dx, x, gamma, mean, rstd, gy). */
    private interface DxLaunch { Launch of(long dx, long x, long gamma, long mean, long rstd, long gy); }

    /** Both input-gradient kernels on the same inputs; dx against the CPU's. */
    private static KernelCheck.Run dx(Device d, CachingAllocator a, Case k, DxLaunch launch) {
        try (LaunchCase lc = new LaunchCase(d, a)) {
            int dx = lc.out(k.x().length);
            int x = lc.in(k.x()), g = lc.in(k.gamma()), m = lc.in(OpCheck.ref(k.fwd()[1])),
                    r = lc.in(OpCheck.ref(k.fwd()[2])), gy = lc.in(k.gy());
            lc.run(launch.of(lc.address(dx), lc.address(x), lc.address(g), lc.address(m), lc.address(r),
                    lc.address(gy)));
            return new KernelCheck.Run(KernelCheck.maxRelError(lc.read(dx), OpCheck.ref(k.bwd()[0]), 1), lc.outputs());
        }
    }

    /**
     * {outer, c, inner}: per (channel, chunk of rows) sums of gy xhat and gy in double, finished here in
     * chunk order and compared with the CPU's dgamma and dbeta. The kernel forms xhat in float, the CPU in
     * double: 2^-24 per term over up to 300 rows of cancelling signs (7e-7 measured), hence 1e-5.
     */
    static final KernelCheck BACKWARD_PARAMS = new OpCheck("uvgl_layernorm_bwd_params_partial_f32", 1e-5,
            "|d|/max(|ref|,1) on dgamma, dbeta",
            OpCheck.shapes(new int[] {3, 5, 1}, new int[] {2, 7, 33}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {3, 5, 1}, new int[] {2, 7, 33}, new int[] {300, 96, 1},
                    new int[] {4, 17, 49})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], c = shape[1], inner = shape[2], rows = outer * inner;
            Case k = make(outer, c, inner, seed);
            ReducePlan plan = ReducePlan.columns(c, rows);
            try (LaunchCase lc = new LaunchCase(d, a)) {
                int pg = lc.out(2 * c * plan.splits()), pb = lc.out(2 * c * plan.splits());
                int x = lc.in(k.x()), m = lc.in(ref(k.fwd()[1])), r = lc.in(ref(k.fwd()[2])), gy = lc.in(k.gy());
                lc.run(LayerNormKernels.backwardParamsPartial(lc.address(pg), lc.address(pb), lc.address(x),
                        lc.address(m), lc.address(r), lc.address(gy), outer, c, inner, plan));
                double[] g = doubles(lc.read(pg)), b = doubles(lc.read(pb));
                float[] dg = new float[c], db = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    double sg = 0, sb = 0;
                    for (int q = 0; q < plan.splits(); q++) {
                        sg += g[ch * plan.splits() + q];
                        sb += b[ch * plan.splits() + q];
                    }
                    dg[ch] = (float) sg;
                    db[ch] = (float) sb;
                }
                return new Run(Math.max(KernelCheck.maxRelError(dg, ref(k.bwd()[1]), 1),
                        KernelCheck.maxRelError(db, ref(k.bwd()[2]), 1)), lc.outputs());
            }
        }
    };
}
