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

    private CudaProbe() {}

    public static Result run() {
        List<String> fatbins = fatbinsInJar();
        try {
            return probeDriver(fatbins);
        } catch (LinkageError e) {
            return new Result(false, "no CUDA driver: JCuda could not load libcuda.so.1 (" + firstLine(e) + "); install the NVIDIA driver to use a GPU", fatbins);
        } catch (RuntimeException e) {
            return new Result(false, "CUDA driver present but unusable: " + firstLine(e), fatbins);
        }
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
        String gpu = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "")
                + String.format(", %.1f GiB, driver CUDA %d.%d", mem[0] / (1024.0 * 1024 * 1024), version[0] / 1000, version[0] % 1000 / 10);
        return new Result(true, gpu, fatbins);
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
