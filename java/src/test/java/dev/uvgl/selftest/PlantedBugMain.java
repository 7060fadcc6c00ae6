package dev.uvgl.selftest;

import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.backend.cuda.LaunchShape;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.DeviceException;
import dev.uvgl.device.Dim3;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.KernelArgs;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one planted-bug scenario on the emulated device built with kernels/test/planted.cu and prints
 * what the emulator reported, as "REPORT: ...". Run in a forked JVM by PlantedBugTest: a watchdog
 * leaves a host thread spinning and a guard-page hit would end the process, so neither may happen in
 * the JVM that runs the other tests.
 */
public final class PlantedBugMain {
    public static void main(String[] args) {
        String report;
        try {
            report = run(args[0]);
        } catch (DeviceException e) {
            report = e.getMessage();
        }
        System.out.println("REPORT: " + report);
        System.out.flush();
        System.exit(0);
    }

    private static String run(String scenario) {
        EmuDevice.Config config = EmuDevice.Config.defaults().withWatchdog(scenario.equals("spin") ? 1500 : 60_000);
        EmuDevice dev = EmuDevice.open(config);
        CachingAllocator alloc = new CachingAllocator(dev);
        switch (scenario) {
            case "missing-sync": return SelfTest.runOne(dev, alloc, MISSING_SYNC, dev.registry().stream()
                    .filter(s -> s.name().equals("planted_missing_sync")).findFirst().orElseThrow(), false).line();
            case "off-by-one": {
                DeviceBuffer out = alloc.allocate(4 * 100, "planted output");
                dev.launch("planted_off_by_one", Dim3.of(1), Dim3.of(128), 0, new KernelArgs().ptr(out).i32(100));
                return "no error";
            }
            case "half-barrier": return launchOne(dev, alloc, "planted_half_barrier", 64);
            case "diverged-shuffle": return launchOne(dev, alloc, "planted_diverged_shuffle", 32);
            case "shared-overflow": return launchOne(dev, alloc, "planted_shared_overflow", 32);
            case "atomics": {
                DeviceBuffer count = alloc.allocate(4, "count"), sum = alloc.allocate(4, "sum");
                dev.copyIn(count.address(), new float[] {0f}, 0, 1);  // 0.0f has the bits of int 0
                dev.copyIn(sum.address(), new float[] {0f}, 0, 1);
                dev.launch("atomic_counts", Dim3.of(64), Dim3.of(256), 0, new KernelArgs().ptr(count).ptr(sum));
                float[] c = new float[1], s = new float[1];
                dev.copyOut(count.address(), c, 0, 1);
                dev.copyOut(sum.address(), s, 0, 1);
                return "count=" + Float.floatToRawIntBits(c[0]) + " sum=" + s[0];
            }
            case "mixed-barriers": return launchOne(dev, alloc, "planted_mixed_barriers", 64);
            case "far-overrun": {
                DeviceBuffer out = alloc.allocate(4 * 100, "planted output");
                dev.launch("planted_far_overrun", Dim3.of(1), Dim3.of(32), 0, new KernelArgs().ptr(out).i32(100));
                return "no error";
            }
            case "spin": {
                DeviceBuffer out = alloc.allocate(4, "out"), flag = alloc.allocate(4, "flag");
                dev.copyIn(flag.address(), new float[] {0f}, 0, 1);
                dev.launch("planted_spin", Dim3.of(2), Dim3.of(32), 0, new KernelArgs().ptr(out).ptr(flag));
                return "no error";
            }
            case "wrong-args": {
                DeviceBuffer out = alloc.allocate(4 * 16, "out");
                dev.launch("uvgl_fill_f32", Dim3.of(1), Dim3.of(32), 0, new KernelArgs().ptr(out).i32(16).f32(1f));
                return "no error";
            }
            case "pipeline": {
                StringBuilder sb = new StringBuilder();
                float[] x = new float[256];
                for (int i = 0; i < x.length; i++) x[i] = i;
                DeviceBuffer in = alloc.allocate(4 * 256, "in"), out = alloc.allocate(4 * 256, "out");
                dev.copyIn(in.address(), x, 0, 256);
                for (int wait : new int[] {1, 0}) {
                    dev.launch("planted_pipeline", Dim3.of(2), Dim3.of(128), 0,
                            new KernelArgs().ptr(out).ptr(in).i32(wait));
                    float[] y = new float[256];
                    dev.copyOut(out.address(), y, 0, 256);
                    int nan = 0, wrong = 0;
                    for (int i = 0; i < 256; i++) {
                        if (Float.isNaN(y[i])) nan++;
                        else if (y[i] != (i / 128) * 128 + 127 - i % 128) wrong++;
                    }
                    sb.append("wait=").append(wait).append(": ").append(nan).append(" NaN, ").append(wrong)
                            .append(" wrong; ");
                }
                return sb.toString().trim();
            }
            case "replay": {
                StringBuilder sb = new StringBuilder();
                DeviceBuffer out = alloc.allocate(4 * 8, "out");
                for (long seed : new long[] {1, 1, 2, 3, 4}) {
                    dev.reseed(seed);
                    dev.launch("last_writer", Dim3.of(8), Dim3.of(256), 0, new KernelArgs().ptr(out));
                    float[] host = new float[8];
                    dev.copyOut(out.address(), host, 0, 8);
                    sb.append("seed").append(seed).append('=').append(java.util.Arrays.toString(host)).append(' ');
                }
                return sb.toString().trim();
            }
            case "barrier-cost": {
                int threads = 256, blocks = 8, iterations = 2000;
                DeviceBuffer out = alloc.allocate(4L * threads * blocks, "out");
                KernelArgs args = new KernelArgs().ptr(out).i32(iterations);
                dev.launch("measure_barriers", Dim3.of(blocks), Dim3.of(threads), 0, args);
                long t0 = System.nanoTime();
                dev.launch("measure_barriers", Dim3.of(blocks), Dim3.of(threads), 0, args);
                double ns = (System.nanoTime() - t0) / ((double) threads * blocks * iterations);
                return String.format(
                        "%.1f ns per thread per __syncthreads (%d blocks x %d threads x %d barriers, %s host threads)",
                        ns, blocks, threads, iterations, System.getenv().getOrDefault("UVGL_EMU_THREADS", "all"));
            }
            default: throw new IllegalArgumentException(scenario);
        }
    }

    private static String launchOne(EmuDevice dev, CachingAllocator alloc, String kernel, int threads) {
        DeviceBuffer out = alloc.allocate(4L * threads, "out");
        dev.launch(kernel, Dim3.of(1), Dim3.of(threads), 0, new KernelArgs().ptr(out));
        return "no error";
    }

    /** A block sum of 128 values: correct only if every store lands before thread 0 reads. */
    static final KernelCheck MISSING_SYNC = new KernelCheck() {
        public String kernel() { return "planted_missing_sync"; }
        public double bound() { return 1e-5; }
        public String measure() { return "|d|/max(|ref|,1)"; }
        public List<int[]> shapes(boolean quick) { return List.of(new int[] {128}, new int[] {1000}); }
        public Run run(Device d, CachingAllocator a, int[] shape, long seed) {
            float[] x = KernelCheck.random(new SplittableRandom(seed), shape[0], -1, 1);
            double ref = 0;
            for (float v : x) ref += v;
            try (LaunchCase c = new LaunchCase(d, a)) {
                int out = c.out(1), in = c.in(x);
                c.run(new Launch(kernel(), new LaunchShape(Dim3.of(1), Dim3.of(128)),
                        new KernelArgs().ptr(c.address(out)).ptr(c.address(in)).i32(shape[0])));
                return new Run(KernelCheck.maxRelError(c.read(out), new float[] {(float) ref}, 1), c.outputs());
            }
        }
    };
}
