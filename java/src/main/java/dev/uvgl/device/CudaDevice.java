package dev.uvgl.device;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static jcuda.driver.JCudaDriver.*;

/**
 * A real GPU through JCuda's driver API: one context, made current on every calling thread; a compute
 * stream and a copy stream; every fatbin in the jar loaded with cuModuleLoadData (JCuda's bundled PTX
 * compiler is too old for nvcc 13's PTX, so SASS/PTX come prebuilt). Construct only after
 * {@link CudaProbe} said a GPU is usable. Every driver error becomes a {@link DeviceException}: a refused launch
 * names its kernel, grid, block and shared memory; any other failing call names itself and the last kernel
 * launched, since an asynchronous fault surfaces at whichever call comes next (CUDA_LAUNCH_BLOCKING=1 pins it to
 * its launch). Checked on the host side against the stand-in driver (kernels/standin); untested on a GPU so far.
 */
public final class CudaDevice implements Device {
    private final CUcontext context = new CUcontext();
    private final CUstream compute = new CUstream(), copy = new CUstream();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String description;
    private final AtomicLong hostSyncs = new AtomicLong();
    private final PinnedStaging staging = new PinnedStaging(compute, hostSyncs);
    /** The newest launch the driver accepted: what an asynchronous fault is most likely to come from. */
    private volatile LaunchRecord lastLaunch;

    private record LaunchRecord(String kernel, Dim3 grid, Dim3 block, int dynamicSharedBytes) {
        @Override public String toString() {
            return kernel + " (grid " + dims(grid) + ", block " + dims(block) + ", " + dynamicSharedBytes
                    + " B dynamic shared)";
        }
    }

    private static String dims(Dim3 d) { return d.x() + "x" + d.y() + "x" + d.z(); }

    public CudaDevice() {
        // The probe makes and destroys a context of its own: run it before this device's context exists.
        description = CudaProbe.run().detail();
        setExceptionsEnabled(true);
        CUdevice dev = new CUdevice();
        driver("opening the GPU (cuInit, cuCtxCreate, cuStreamCreate)", () -> {
            cuInit(0);
            cuDeviceGet(dev, 0);
            cuCtxCreate(context, 0, dev);
            cuStreamCreate(compute, 0);
            cuStreamCreate(copy, 0);
        });
        for (String name : CudaProbe.fatbinsInJar()) loadModule(name);
    }

    private void loadModule(String name) {
        byte[] image;
        try (InputStream in = CudaDevice.class.getResourceAsStream("/kernels/" + name + ".fatbin")) {
            if (in == null)
                throw new DeviceException("kernels/index.txt names " + name + " but the jar has no " + name
                        + ".fatbin; rebuild the jar");
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new DeviceException("cannot read " + name + ".fatbin from the jar", e);
        }
        CUmodule module = new CUmodule();
        current();
        try {
            cuModuleLoadData(module, image);
        } catch (RuntimeException e) {
            throw new DeviceException(name
                    + ".fatbin does not load on this GPU (built for sm_90 SASS + compute_80 PTX): "
                    + e.getMessage(), e);
        }
        for (String kernel : kernelNames(name)) {
            CUfunction f = new CUfunction();
            driver("cuModuleGetFunction(" + kernel + ") in " + name + ".fatbin",
                    () -> cuModuleGetFunction(f, module, kernel));
            functions.put(kernel, f);
        }
    }

    /** The fatbins' kernels: what selftest's registration rule checks on a GPU. */
    @Override public List<String> kernelNames() { return PtxasReport.kernelNamesInJar(); }

    /** The extern "C" kernels a fatbin holds, from the ptxas report the build kept beside it. */
    private static List<String> kernelNames(String fatbin) {
        return PtxasReport.read(fatbin).stream().map(PtxasReport.Entry::kernel).distinct().toList();
    }

    private void current() {
        try {
            cuCtxSetCurrent(context);
        } catch (CudaException e) {
            throw failure("cuCtxSetCurrent", e);
        }
    }

    /** Runs driver calls, turning a driver error into a DeviceException that names the call and the last launch. */
    private void driver(String call, Runnable calls) {
        try {
            calls.run();
        } catch (CudaException e) {
            throw failure(call, e);
        }
    }

    private DeviceException failure(String call, CudaException e) {
        LaunchRecord last = lastLaunch;
        return new DeviceException(call + " failed: " + e.getMessage() + (last == null ? "" : "; the last kernel "
                + "launched was " + last + ", and an asynchronous fault of a kernel shows at the next call (rerun with "
                + "CUDA_LAUNCH_BLOCKING=1 to stop at the faulting launch)"), e);
    }

    @Override public String name() { return "cuda"; }
    @Override public String describe() { return description; }

    @Override public long allocate(long bytes, String label) {
        current();
        RawDevicePointer p = new RawDevicePointer();
        try {
            cuMemAlloc(p, Math.max(1, bytes));
        } catch (CudaException e) {
            if (!e.getMessage().contains("OUT_OF_MEMORY")) throw failure("cuMemAlloc of " + bytes + " bytes for "
                    + label, e);
            throw new DeviceOutOfMemoryException("cuMemAlloc of " + bytes + " bytes for " + label + " failed: "
                    + e.getMessage());
        }
        return p.address();
    }

    /** JCuda keeps a device pointer's address protected; kernels and the allocator want the number. */
    private static final class RawDevicePointer extends CUdeviceptr {
        long address() { return getNativePointer() + getByteOffset(); }
    }

    private static CUdeviceptr ptr(long address) {
        CUdeviceptr p = new CUdeviceptr();
        return (CUdeviceptr) p.withByteOffset(address);
    }

    @Override public void free(long address) { current(); driver("cuMemFree", () -> cuMemFree(ptr(address))); }
    @Override public long bytesInUse() { long[] ft = memInfo(); return ft[1] - ft[0]; }
    @Override public long bytesTotal() { return memInfo()[1]; }

    private long[] memInfo() {
        long[] f = {0}, t = {0};
        current();
        driver("cuMemGetInfo", () -> cuMemGetInfo(f, t));
        return new long[] {f[0], t[0]};
    }

    @Override public void copyIn(long dst, float[] src, int offset, int count) {
        copyInSync(dst, Pointer.to(src).withByteOffset(4L * offset), 4L * count);
    }
    @Override public void copyOut(long src, float[] dst, int offset, int count) {
        copyOutSync(Pointer.to(dst).withByteOffset(4L * offset), src, 4L * count);
    }
    @Override public void copyIn(long dst, int[] src, int offset, int count) {
        copyInSync(dst, Pointer.to(src).withByteOffset(4L * offset), 4L * count);
    }
    @Override public void copyOut(long src, int[] dst, int offset, int count) {
        copyOutSync(Pointer.to(dst).withByteOffset(4L * offset), src, 4L * count);
    }

    private void copyInSync(long dst, Pointer host, long bytes) {
        current();
        hostSyncs.incrementAndGet();
        driver("copy of " + bytes + " bytes to the GPU", () -> {
            cuMemcpyHtoDAsync(ptr(dst), host, bytes, copy);
            cuStreamSynchronize(copy);
        });
    }

    private void copyOutSync(Pointer host, long src, long bytes) {
        current();
        hostSyncs.incrementAndGet();
        driver("copy of " + bytes + " bytes from the GPU", () -> {
            cuStreamSynchronize(compute);
            cuMemcpyDtoHAsync(host, ptr(src), bytes, copy);
            cuStreamSynchronize(copy);
        });
    }

    @Override public void copyDeviceToDevice(long dst, long src, long bytes) {
        current();
        driver("cuMemcpyDtoDAsync", () -> cuMemcpyDtoDAsync(ptr(dst), ptr(src), bytes, compute));
    }

    @Override public void upload(long dst, float[] src, int offset, int count) {
        current();
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        driver("upload of " + 4L * count + " bytes", () -> staging.upload(dst, 0, 4L * count,
                (buffer, at, n) -> buffer.asFloatBuffer().put(src, offset + (int) (at / 4), (int) (n / 4))));
    }
    @Override public void upload(long dst, int[] src, int offset, int count) {
        current();
        java.util.Objects.checkFromIndexSize(offset, count, src.length);
        driver("upload of " + 4L * count + " bytes", () -> staging.upload(dst, 0, 4L * count,
                (buffer, at, n) -> buffer.asIntBuffer().put(src, offset + (int) (at / 4), (int) (n / 4))));
    }
    @Override public long hostSyncs() { return hostSyncs.get(); }

    @Override public void copyInAsync(long dst, float[] src, int offset, int count) {
        current();
        // Pageable host memory: the driver stages it before returning, so the array may be reused at once.
        driver("cuMemcpyHtoDAsync", () -> cuMemcpyHtoDAsync(ptr(dst), Pointer.to(src).withByteOffset(4L * offset),
                4L * count, copy));
    }
    @Override public DeviceEvent recordCopyStream() {
        current();
        CUevent e = new CUevent();
        driver("recording an event on the copy stream", () -> {
            cuEventCreate(e, jcuda.driver.CUevent_flags.CU_EVENT_DISABLE_TIMING);
            cuEventRecord(e, copy);
        });
        return new GpuEvent(e);
    }
    @Override public void computeWaits(DeviceEvent copyEvent) {
        current();
        driver("cuStreamWaitEvent", () -> cuStreamWaitEvent(compute, ((GpuEvent) copyEvent).event(), 0));
    }

    @Override public void launch(String kernel, Dim3 grid, Dim3 block, int dynamicSharedBytes, KernelArgs args) {
        current();
        CUfunction f = functions.get(kernel);
        if (f == null) throw new DeviceException("no kernel named " + kernel + " in the jar's fatbins");
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < args.size(); i++) {
            long v = args.value(i);
            params[i] = switch (args.type(i)) {
                case 'p' -> Pointer.to(ptr(v));
                case 'i' -> Pointer.to(new int[] {(int) v});
                case 'l' -> Pointer.to(new long[] {v});
                case 'f' -> Pointer.to(new float[] {Float.intBitsToFloat((int) v)});
                default -> throw new IllegalArgumentException("argument type " + args.type(i));
            };
        }
        LaunchRecord launch = new LaunchRecord(kernel, grid, block, dynamicSharedBytes);
        try {
            if (dynamicSharedBytes > 48 * 1024)
                cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                        dynamicSharedBytes);
            cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), dynamicSharedBytes,
                    compute, Pointer.to(params), null);
        } catch (CudaException e) {
            throw new DeviceException("kernel " + launch + " did not launch: " + e.getMessage() + limits(f), e);
        }
        lastLaunch = launch;
    }

    /** What the driver says the kernel allows, for a refused launch's message; empty if it cannot say. */
    private static String limits(CUfunction f) {
        try {
            int[] threads = {0}, statics = {0}, registers = {0};
            cuFuncGetAttribute(threads, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f);
            cuFuncGetAttribute(statics, CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f);
            cuFuncGetAttribute(registers, CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS, f);
            return "; the kernel allows " + threads[0] + " threads a block, uses " + registers[0]
                    + " registers a thread and " + statics[0] + " B static shared";
        } catch (CudaException e) {
            return "";
        }
    }

    @Override public void synchronize() {
        current();
        hostSyncs.incrementAndGet();
        driver("cuStreamSynchronize", () -> {
            cuStreamSynchronize(compute);
            cuStreamSynchronize(copy);
        });
    }

    private record GpuEvent(CUevent event) implements DeviceEvent {
        @Override public void close() { cuEventDestroy(event); }
    }
    @Override public DeviceEvent record() {
        current();
        CUevent e = new CUevent();
        driver("recording an event on the compute stream", () -> {
            cuEventCreate(e, 0);
            cuEventRecord(e, compute);
        });
        return new GpuEvent(e);
    }
    @Override public float elapsedMillis(DeviceEvent from, DeviceEvent to) {
        float[] ms = {0};
        hostSyncs.incrementAndGet();
        driver("timing two events", () -> {
            cuEventSynchronize(((GpuEvent) to).event());
            cuEventElapsedTime(ms, ((GpuEvent) from).event(), ((GpuEvent) to).event());
        });
        return ms[0];
    }

    /** The GPU does not know roles: the self-test takes them from the emulator's registry when it is loaded. */
    @Override public List<KernelSignature> registry() { return List.of(); }

    @Override public void close() {
        current();
        driver("closing the GPU context", () -> {
            staging.close();
            JCudaDriver.cuCtxDestroy(context);
        });
    }
}
