package dev.uvgl.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What `ptxas -v` said about each kernel at build time (kept beside each fatbin in the jar): registers,
 * spills, stack and shared memory for sm_90, and the theoretical occupancy that implies on an H100.
 */
public final class PtxasReport {
    public record Entry(String fatbin, String kernel, String arch, int registers, int stackFrame, int spillStores,
                        int spillLoads, int sharedBytes, int barriers) {
        public boolean spills() { return spillStores > 0 || spillLoads > 0; }
    }

    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '([^']+)' for '(sm_\\d+)'");
    private static final Pattern FRAME = Pattern.compile(
            "(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile(
            "Used (\\d+) registers(?:, used (\\d+) barriers)?(?:, (\\d+) bytes smem)?");

    private PtxasReport() {}

    /** The entries of one fatbin's report from the jar; empty if the jar has none. */
    public static List<Entry> read(String fatbin) {
        try (InputStream in = PtxasReport.class.getResourceAsStream("/kernels/" + fatbin + ".ptxas.txt")) {
            if (in == null) return List.of();
            return parse(fatbin, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + fatbin + ".ptxas.txt from the jar", e);
        }
    }

    /** Every kernel of every fatbin in the jar, sorted: what a GPU can launch. */
    public static List<String> kernelNamesInJar() {
        return readAll().stream().map(Entry::kernel).distinct().sorted().toList();
    }

    public static List<Entry> readAll() {
        List<Entry> all = new ArrayList<>();
        for (String f : CudaProbe.fatbinsInJar()) all.addAll(read(f));
        return all;
    }

    static List<Entry> parse(String fatbin, String text) {
        List<Entry> out = new ArrayList<>();
        String kernel = null, arch = null;
        int frame = 0, stores = 0, loads = 0;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = ENTRY.matcher(line)).find()) {
                kernel = m.group(1);
                arch = m.group(2);
                frame = stores = loads = 0;
            }
            else if ((m = FRAME.matcher(line)).find()) {
                frame = Integer.parseInt(m.group(1));
                stores = Integer.parseInt(m.group(2));
                loads = Integer.parseInt(m.group(3));
            } else if ((m = USED.matcher(line)).find() && kernel != null) {
                out.add(new Entry(fatbin, kernel, arch, Integer.parseInt(m.group(1)), frame, stores, loads,
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                        m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
                kernel = null;
            }
        }
        return out;
    }

    /**
     * Theoretical H100 (sm_90) occupancy, active warps over the 64 an SM holds, for blocks of this size:
     * limited by 65536 registers (allocated per warp in units of 256), 228 KiB of shared memory (1 KiB
     * reserved per block), 64 warps and 32 blocks per SM.
     */
    public static double h100Occupancy(Entry e, int threadsPerBlock) {
        int warps = (threadsPerBlock + 31) / 32;
        int regsPerWarp = (e.registers() * 32 + 255) / 256 * 256;
        int byRegs = regsPerWarp == 0 ? 32 : (65536 / regsPerWarp) / warps;
        int bySmem = e.sharedBytes() == 0 ? 32 : 233472 / (e.sharedBytes() + 1024);
        int byWarps = 64 / warps;
        int blocks = Math.min(Math.min(byRegs, bySmem), Math.min(byWarps, 32));
        return blocks * warps / 64.0;
    }
}
