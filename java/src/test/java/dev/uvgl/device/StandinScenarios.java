package dev.uvgl.device;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;

import java.io.IOException;
import java.io.InputStream;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.setExceptionsEnabled;

/**
 * One scenario against the stand-in driver (kernels/standin) in a JVM started with it on LD_LIBRARY_PATH; prints
 * "REPORT: ..." for StandinDriverTest. The JVM that runs the other tests has no libcuda.so.1, so these run apart.
 */
public final class StandinScenarios {
    public static void main(String[] args) throws IOException {
        String report = switch (args[0]) {
            case "over-launch-bounds" -> overLaunchBounds();
            case "no-context" -> noContext();
            case "attributes" -> attributes();
            default -> throw new IllegalArgumentException(args[0]);
        };
        System.out.println("REPORT: " + report);
        System.exit(0);
    }

    /** uvgl_gelu_f32 is built with __launch_bounds__(256): a 512-thread block must be refused, by name. */
    private static String overLaunchBounds() {
        try (CudaDevice dev = new CudaDevice(); CachingAllocator alloc = new CachingAllocator(dev)) {
            DeviceBuffer x = alloc.allocate(4 * 1024, "x"), y = alloc.allocate(4 * 1024, "y");
            dev.launch("uvgl_gelu_f32", Dim3.of(2), Dim3.of(512), 0, new KernelArgs().ptr(y).ptr(x).i64(1024));
            return "launched";
        } catch (DeviceException e) {
            return e.getMessage();
        }
    }

    /** A launch from a thread with no current context, the kind of call CudaDevice.current() exists to prevent. */
    private static String noContext() throws IOException {
        setExceptionsEnabled(true);
        CUfunction f = function("elementwise", "uvgl_gelu_f32");
        cuCtxSetCurrent(new CUcontext());
        try {
            cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, null, Pointer.to(new Pointer[0]), null);
            return "launched";
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    /** The stand-in's reading of each kernel's registers and static shared memory, beside ptxas's report. */
    private static String attributes() throws IOException {
        setExceptionsEnabled(true);
        StringBuilder differences = new StringBuilder();
        int kernels = 0;
        for (PtxasReport.Entry e : PtxasReport.readAll()) {
            if (!e.arch().equals("sm_90")) continue;
            CUfunction f = function(e.fatbin(), e.kernel());
            int[] registers = {0}, shared = {0};
            cuFuncGetAttribute(registers, CUfunction_attribute.CU_FUNC_ATTRIBUTE_NUM_REGS, f);
            cuFuncGetAttribute(shared, CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f);
            if (registers[0] != e.registers() || shared[0] != e.sharedBytes())
                differences.append(String.format(" %s: %d registers / %d B shared, ptxas %d / %d;", e.kernel(),
                        registers[0], shared[0], e.registers(), e.sharedBytes()));
            kernels++;
        }
        return kernels + " kernels, differences:" + (differences.length() == 0 ? " none" : differences);
    }

    private static CUcontext context;

    private static CUfunction function(String fatbin, String kernel) throws IOException {
        if (context == null) {
            cuInit(0);
            CUdevice dev = new CUdevice();
            cuDeviceGet(dev, 0);
            context = new CUcontext();
            cuCtxCreate(context, 0, dev);
        }
        byte[] image;
        try (InputStream in = StandinScenarios.class.getResourceAsStream("/kernels/" + fatbin + ".fatbin")) {
            image = in.readAllBytes();
        }
        CUmodule m = new CUmodule();
        cuModuleLoadData(m, image);
        CUfunction f = new CUfunction();
        cuModuleGetFunction(f, m, kernel);
        return f;
    }
}
