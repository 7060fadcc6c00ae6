package dev.uvgl.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out, without failing, whether a CUDA GPU is usable from here and which kernels the jar
 * carries. JCuda's class initialisation throws UnsatisfiedLinkError where libcuda is missing: that
 * LinkageError is caught here, once, and turned into a reason a person can act on.
 */
public final class CudaProbe {
    /** What the probe found: usable or not, and why, in one line. */
    public record Result(boolean gpuPresent, String detail, List<String> fatbins) {}

    private static volatile Result cached;

    private CudaProbe() {}

    /** The probe's verdict, found once per process (it loads every fatbin in a throw-away context). */
    public static Result run() {
        Result r = cached;
        if (r == null) cached = r = probe();
        return r;
    }

    private static Result probe() {
        List<String> fatbins = fatbinsInJar();
        try {
            return probeDriver(fatbins);
        } catch (LinkageError e) {
            return new Result(false, "no CUDA driver: JCuda could not load libcuda.so.1 (" + linkFailure(e)
                    + "); install the NVIDIA driver to use a GPU", fatbins);
        } catch (RuntimeException e) {
            return new Result(false, "CUDA driver present but unusable: " + firstLine(e), fatbins);
        }
    }

    /**
     * Where this machine shows an NVIDIA driver (nvidia-smi on the PATH, /proc/driver/nvidia, /dev/nvidiactl), or
     * null: with a driver installed, an unusable GPU is a failure to report, not a machine without one.
     */
    public static String driverEvidence() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "nvidia-smi")))
                return "nvidia-smi is at " + java.nio.file.Path.of(dir, "nvidia-smi");
        for (String path : List.of("/proc/driver/nvidia/version", "/dev/nvidiactl"))
            if (java.nio.file.Files.exists(java.nio.file.Path.of(path))) return path + " exists";
        return null;
    }

    /**
     * JCuda's message holds a stack trace per loading attempt; the reason a person can act on is dlopen's, on the
     * last "UnsatisfiedLinkError:" line (a missing libcuda.so.1, a missing symbol), without the temp path before it.
     */
    static String linkFailure(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String reason = null;
        for (String line : m.split("\n")) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at >= 0) reason = line.substring(at + "UnsatisfiedLinkError: ".length()).strip();
        }
        if (reason == null) return firstLine(e);
        int so = reason.indexOf(".so: ");
        return so >= 0 && reason.startsWith("/") ? reason.substring(so + ".so: ".length()) : reason;
    }

    private static Result probeDriver(List<String> fatbins) {
        jcuda.driver.JCudaDriver.setExceptionsEnabled(true);
        jcuda.driver.JCudaDriver.cuInit(0);
        int[] count = {0};
        jcuda.driver.JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) return new Result(false, "CUDA driver loaded but it sees no GPU", fatbins);
        jcuda.driver.CUdevice dev = new jcuda.driver.CUdevice();
        jcuda.driver.JCudaDriver.cuDeviceGet(dev, 0);
        byte[] name = new byte[256];
        jcuda.driver.JCudaDriver.cuDeviceGetName(name, name.length, dev);
        long[] mem = {0};
        jcuda.driver.JCudaDriver.cuDeviceTotalMem(mem, dev);
        int[] version = {0};
        jcuda.driver.JCudaDriver.cuDriverGetVersion(version);
        int[] major = {0}, minor = {0};
        jcuda.driver.JCudaDriver.cuDeviceGetAttribute(major,
                jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        jcuda.driver.JCudaDriver.cuDeviceGetAttribute(minor,
                jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        String gpu = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "")
                + String.format(", sm_%d%d, %.1f GiB, driver CUDA %d.%d", major[0], minor[0],
                        mem[0] / (1024.0 * 1024 * 1024), version[0] / 1000, version[0] % 1000 / 10);
        if (major[0] < 8)
            return new Result(false,
                    "GPU " + gpu + " is older than the kernels' oldest target (compute_80 PTX, sm_90 SASS)", fatbins);
        String mismatch = fatbinThatDoesNotLoad(dev, fatbins);
        if (mismatch != null) return new Result(false, "GPU " + gpu + " found but " + mismatch, fatbins);
        return new Result(true, gpu, fatbins);
    }

    /**
     * Loads every fatbin of the jar in a throw-away context: a fatbin the driver refuses makes the GPU unusable here.
     */
    private static String fatbinThatDoesNotLoad(jcuda.driver.CUdevice dev, List<String> fatbins) {
        jcuda.driver.CUcontext ctx = new jcuda.driver.CUcontext();
        jcuda.driver.JCudaDriver.cuCtxCreate(ctx, 0, dev);
        try {
            for (String f : fatbins) {
                byte[] image;
                try (InputStream in = CudaProbe.class.getResourceAsStream("/kernels/" + f + ".fatbin")) {
                    if (in == null)
                        return "kernels/index.txt names " + f + " but the jar lacks " + f + ".fatbin; rebuild the jar";
                    image = in.readAllBytes();
                } catch (IOException e) {
                    return "cannot read " + f + ".fatbin from the jar: " + e.getMessage();
                }
                jcuda.driver.CUmodule m = new jcuda.driver.CUmodule();
                try {
                    jcuda.driver.JCudaDriver.cuModuleLoadData(m, image);
                    jcuda.driver.JCudaDriver.cuModuleUnload(m);
                } catch (RuntimeException e) {
                    return f + ".fatbin does not load on it (" + firstLine(e)
                            + "); a driver for CUDA 13 or newer is needed";
                }
            }
            return null;
        } finally {
            jcuda.driver.JCudaDriver.cuCtxDestroy(ctx);
        }
    }

    /** Names of the fatbins packed under /kernels in the jar (the build writes kernels/index.txt). */
    public static List<String> fatbinsInJar() {
        List<String> names = new ArrayList<>();
        try (InputStream in = CudaProbe.class.getResourceAsStream("/kernels/index.txt")) {
            if (in == null) return names;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                if (!line.isBlank()) names.add(line.trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the kernel index in the jar", e);
        }
        return names;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
