package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.OptimizerKernels;
import dev.uvgl.backend.cuda.SgdTable;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The all-parameter SGD step against the CPU backend's per-parameter step. The parameters live in buffers
 * the table points to (not kernel arguments), so this check fills and reads them itself; the bound is the
 * per-parameter kernel's (a GPU may fuse the multiply-adds).
 */
final class SgdAllCheck extends OpCheck {
    SgdAllCheck() {
        super("uvgl_sgd_step_all_f32", 1e-6, "|d|/max(|ref|,1) on every p and buf",
                shapes(new int[] {1, 1, 1}, new int[] {5, 300, 0}),
                shapes(new int[] {1, 1, 1}, new int[] {3, 7, 1}, new int[] {5, 300, 0}, new int[] {40, 97, 0},
                        new int[] {3, 70001, 0}));
    }

    public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
        int count = shape[0], largest = shape[1];
        boolean first = shape[2] == 1;
        SplittableRandom r = new SplittableRandom(seed);
        List<DeviceBuffer> owned = new ArrayList<>();
        try (LaunchCase c = new LaunchCase(d, a)) {
            SgdTable table = new SgdTable();
            List<float[]> refP = new ArrayList<>(), refB = new ArrayList<>();
            List<DeviceBuffer[]> bufs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i == 0 ? largest : 1 + r.nextInt(largest);
                float[] p = KernelCheck.random(r, n, -1, 1), b = KernelCheck.random(r, n, -1, 1),
                        g = KernelCheck.random(r, n, -1, 1);
                DeviceBuffer[] db = {a.allocate(4L * n, "sgd param " + i), a.allocate(4L * n, "sgd buffer " + i),
                        a.allocate(4L * n, "sgd grad " + i)};
                for (DeviceBuffer x : db) owned.add(x);
                d.copyIn(db[0].address(), p, 0, n);
                d.copyIn(db[1].address(), b, 0, n);
                d.copyIn(db[2].address(), g, 0, n);
                var tp = cpu(p, n);
                var tb = cpu(b, n);
                CPU.sgdStepInPlace(tp, cpu(g, n), tb, 0.1, 0.9, 5e-4, first);
                refP.add(ref(tp));
                refB.add(ref(tb));
                bufs.add(db);
                table.add(db[0].address(), db[1].address(), db[2].address(), n);
            }
            int ti = c.in(table.floats());
            c.run(OptimizerKernels.sgdAll(c.address(ti), table, 0.1f, 0.9f, 5e-4f, first));
            double worst = 0;
            List<float[]> outs = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < count; i++) {
                int n = refP.get(i).length;
                float[] p = new float[n], b = new float[n];
                d.copyOut(bufs.get(i)[0].address(), p, 0, n);
                d.copyOut(bufs.get(i)[1].address(), b, 0, n);
                worst = Math.max(worst, Math.max(KernelCheck.maxRelError(p, refP.get(i), 1),
                        KernelCheck.maxRelError(b, refB.get(i), 1)));
                outs.add(p);
                outs.add(b);
                total += 2 * n;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] o : outs) { System.arraycopy(o, 0, all, at, o.length); at += o.length; }
            return new Run(worst, all);
        } finally {
            for (DeviceBuffer b : owned) a.free(b);
        }
    }
}
