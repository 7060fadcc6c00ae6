package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.backend.cuda.GemmLauncher;
import dev.uvgl.backend.cuda.GemmPrecision;
import dev.uvgl.backend.cuda.Launch;
import dev.uvgl.harness.OpBandwidthBench;
import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.CudaDevice;
import dev.uvgl.device.CudaProbe;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceBuffer;
import dev.uvgl.device.DeviceEvent;
import dev.uvgl.device.DeviceException;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.PtxasReport;
import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * `bench kernels`: with --static, what ptxas said about every kernel at build time (registers, spills,
 * shared memory, theoretical H100 occupancy); otherwise the BF16 wmma GEMM's GFLOP/s on a device, beside
 * the CPU backend's float32 matmul measured in the same run, then every other op's time and bandwidth
 * against a device-to-device copy measured in the same run.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Kernel figures: --static for the ptxas report, "
                + "else GEMM GFLOP/s and every op's GB/s on --device.",
        footer = {"", "Examples:", "  java -jar engine.jar bench kernels --static",
                "  java -jar engine.jar bench kernels --device emu"})
public final class KernelsBenchCommand implements Callable<Integer> {
    @Option(names = "--static", description = "print the build-time ptxas report instead of running kernels")
    boolean staticReport;

    @Option(names = "--device", defaultValue = "emu", description = "cuda | emu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--emu-memory", paramLabel = "SIZE", defaultValue = ByteSize.EMU_DEFAULT,
            description = ByteSize.EMU_HELP, converter = ByteSize.Checked.class)
    String emuMemory;

    @Option(names = "--size", defaultValue = "256", description = "M = N = K of the GEMM (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--elements", defaultValue = "0",
            description = "float32 elements per op for the bandwidth table (default: 16777216 on cuda, 16384 on emu)")
    int elements;

    @Option(names = "--reps", defaultValue = "0", description = "timed calls per op (default: 20 on cuda, 1 on emu)")
    int reps;

    @Override public Integer call() {
        long capacity = ByteSize.emuMemory(emuMemory);
        if (staticReport) return printStatic();
        if (size < 1 || size > 8192) throw new UserError("--size " + size + ": use 1 to 8192");
        if (elements < 0 || elements > (1 << 28))
            throw new UserError("--elements " + elements + ": use 1 to 268435456 (0: the device's default)");
        if (reps < 0 || reps > 10000)
            throw new UserError("--reps " + reps + ": use 1 to 10000 (0: the device's default)");
        Device dev;
        try {
            dev = switch (device) {
                case "emu" -> EmuDevice.open(EmuDevice.Config.defaults().withCapacity(capacity));
                case "cuda" -> {
                    CudaProbe.Result p = CudaProbe.run();
                    if (!p.gpuPresent()) throw new UserError("--device cuda: " + p.detail() + "; or use --device emu");
                    yield new CudaDevice();
                }
                default -> throw new UserError("--device " + device + ": use cuda or emu");
            };
        } catch (DeviceException e) {
            throw new UserError(e.getMessage());
        }
        try (CudaBackend backend = new CudaBackend(dev)) {
            gemm(dev);
            opTable(backend, dev instanceof EmuDevice);
        }
        return 0;
    }

    private void opTable(CudaBackend backend, boolean emulated) {
        int n = elements > 0 ? elements : emulated ? 1 << 14 : 1 << 24;
        int r = reps > 0 ? reps : emulated ? 1 : 20;
        OpBandwidthBench.Result res = OpBandwidthBench.run(backend, n, r);
        System.out.printf(
                "%nops on %s, about %d float32 elements each, %d timed calls; device-to-device copy: %.1f GB/s%n",
                backend.name(), n, r, res.copyGbPerSecond());
        System.out.printf("%-32s %10s %9s %8s  %s%n", "op", "ms/call", "GB/s", "of copy", "kernels");
        for (OpBandwidthBench.Row row : res.rows())
            System.out.printf("%-32s %10.4f %9.1f %7.0f%%  %s%n", row.op(), row.ms(), row.gbPerSecond(),
                    100 * row.ofCopy(), row.kernels());
        if (emulated) System.out.println(
                "(emulated: these times and bandwidths say nothing about a GPU; the table shows the code path runs)");
    }

    private void gemm(Device dev) {
        try (CachingAllocator alloc = new CachingAllocator(dev)) {
            int n = size;
            float[] a = new float[n * n], b = new float[n * n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble(-1, 1);
                b[i] = (float) r.nextDouble(-1, 1);
            }
            DeviceBuffer da = alloc.allocate(4L * n * n, "A"), db = alloc.allocate(4L * n * n, "B"),
                    dc = alloc.allocate(4L * n * n, "C");
            dev.copyIn(da.address(), a, 0, a.length);
            dev.copyIn(db.address(), b, 0, b.length);
            Launch gemm = GemmLauncher.oneSlice(dc.address(), da.address(), db.address(), n, n, n,
                    GemmPrecision.BF16);
            gemm.on(dev);  // warm-up
            dev.synchronize();
            int reps = 3;
            DeviceEvent t0 = dev.record();
            for (int i = 0; i < reps; i++) gemm.on(dev);
            DeviceEvent t1 = dev.record();
            dev.synchronize();
            double ms = dev.elapsedMillis(t0, t1) / reps;
            double flops = 2.0 * n * n * n;
            CpuBackend cpu = CpuBackend.INSTANCE;
            Tensor ta = cpu.fromArray(a, Shape.of(n, n)), tb = cpu.fromArray(b, Shape.of(n, n));
            for (int i = 0; i < 3; i++) cpu.matmul(ta, false, tb, false);  // JIT and OpenBLAS warm-up
            long c0 = System.nanoTime();
            for (int i = 0; i < reps; i++) cpu.matmul(ta, false, tb, false);
            double cpuMs = (System.nanoTime() - c0) / 1e6 / reps;
            System.out.printf("gemm_bf16 %dx%dx%d on %s: %.3f ms, %.3f GFLOP/s%n", n, n, n, dev.name(), ms,
                    flops / ms / 1e6);
            System.out.printf("cpu backend matmul (float32, OpenBLAS) same shape: %.3f ms, %.3f GFLOP/s%n", cpuMs,
                    flops / cpuMs / 1e6);
            if (dev instanceof EmuDevice)
                System.out.println("(emulated: a checking device, its speed says nothing about a GPU)");
            t0.close(); t1.close();
        }
    }

    private static int printStatic() {
        List<PtxasReport.Entry> entries = PtxasReport.readAll();
        if (entries.isEmpty()) {
            System.out.println("no ptxas reports in this jar (built without nvcc)");
            return 0;
        }
        System.out.println(
                "ptxas -v at build time; occupancy: theoretical, H100 (sm_90), for 128 / 256 threads per block");
        System.out.printf("%-26s %-6s %5s %8s %8s %6s %9s %9s%n", "kernel", "arch", "regs", "spill_st", "spill_ld",
                "smem", "occ@128", "occ@256");
        for (PtxasReport.Entry e : entries)
            System.out.printf("%-26s %-6s %5d %8d %8d %6d %8.0f%% %8.0f%%%n", e.kernel(), e.arch(), e.registers(),
                    e.spillStores(), e.spillLoads(),
                    e.sharedBytes(), 100 * PtxasReport.h100Occupancy(e, 128), 100 * PtxasReport.h100Occupancy(e, 256));
        return 0;
    }
}
