package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.LaunchShape;
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
                lc.in(k.x()); lc.in(k.gamma()); lc.in(k.beta());
                lc.i32(outer).i32(c).i32(inner).f32(EPS);
                LaunchShape s = LaunchShape.perThread(rows);
                lc.launch(kernel(), s.grid(), s.block(), 0);
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
            return dx(d, a, kernel(), make(rows, c, 1, seed), LaunchShape.perWarp(rows), rows, c);
        }
    };

    static final KernelCheck BACKWARD_DX_STRIDED = new OpCheck("uvgl_layernorm_bwd_dx_strided_f32", 1e-4,
            "|d|/max(|ref|,1)",
            OpCheck.shapes(new int[] {1, 3, 2}, new int[] {2, 33, 17}),
            OpCheck.shapes(new int[] {1, 1, 1}, new int[] {1, 3, 2}, new int[] {2, 33, 17}, new int[] {3, 96, 16},
                    new int[] {1, 384, 5})) {
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            int outer = shape[0], c = shape[1], inner = shape[2], rows = outer * inner;
            return dx(d, a, kernel(), make(outer, c, inner, seed), LaunchShape.perThread(rows), outer, c, inner);
        }
    };

    /** Both input-gradient kernels: inputs x, gamma, mean, rstd, gy, then the int sizes; dx against the CPU's. */
    private static KernelCheck.Run dx(Device d, CachingAllocator a, String kernel, Case k, LaunchShape s, int... sizes) {
        try (LaunchCase lc = new LaunchCase(d, a)) {
            int dx = lc.out(k.x().length);
            lc.in(k.x()); lc.in(k.gamma()); lc.in(OpCheck.ref(k.fwd()[1])); lc.in(OpCheck.ref(k.fwd()[2])); lc.in(k.gy());
            for (int v : sizes) lc.i32(v);
            lc.launch(kernel, s.grid(), s.block(), 0);
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
                lc.in(k.x()); lc.in(ref(k.fwd()[1])); lc.in(ref(k.fwd()[2])); lc.in(k.gy());
                lc.i32(outer).i32(c).i32(inner).i32(plan.splits()).i32(plan.chunk());
                LaunchShape s = LaunchShape.perThread((long) c * plan.splits());
                lc.launch(kernel(), s.grid(), s.block(), 0);
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
