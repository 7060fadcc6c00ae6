package dev.uvgl.selftest;

import dev.uvgl.device.CachingAllocator;
import dev.uvgl.device.Device;
import dev.uvgl.device.DeviceException;
import dev.uvgl.device.DeviceOutOfMemoryException;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.KernelSignature;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every registered kernel against its CPU reference on seeded random inputs, at several shapes including
 * odd sizes; one PASS or FAIL line per kernel with its worst error and stated bound. On the emulator each
 * case also runs under a second schedule seed, and kernels registered as deterministic must give
 * bitwise-equal outputs. A registered kernel without a check is a FAIL: nothing ships unchecked. On a GPU
 * "registered" means in a fatbin of the jar (CudaDevice.kernelNames), so the rule holds there too.
 */
public final class SelfTest {
    /**
     * One kernel's verdict; maxError is the largest error measured over its shapes (NaN where it did not run through).
     */
    public record Verdict(String kernel, boolean pass, String line, double maxError) {
        Verdict(String kernel, boolean pass, String line) { this(kernel, pass, line, Double.NaN); }
    }

    static final long SEED_A = 1, SEED_B = 2;

    public static List<KernelCheck> checks() {
        return List.of(
                ElementwiseChecks.FILL,
                ElementwiseChecks.COPY,
                ElementwiseChecks.AXPY,
                new LayerNormCheck(),
                GemmCheck.BF16,
                GemmCheck.F32,
                ConvCheck.DWCONV,
                ConvCheck.DWCONV_WGRAD,
                ConvCheck.PATCH_IM2COL,
                ConvCheck.PATCH_COL2IM,
                ConvCheck.DIRECT_FORWARD,
                ConvCheck.DIRECT_DGRAD,
                ConvCheck.DIRECT_WGRAD,
                ConvCheck.SUM_PARTIALS,
                ConvCheck.BIAS,
                ElementwiseOpChecks.ADD,
                ElementwiseOpChecks.MUL,
                ElementwiseOpChecks.AFFINE,
                ElementwiseOpChecks.GELU,
                ElementwiseOpChecks.GELU_BACKWARD,
                ElementwiseOpChecks.SGD,
                new SgdAllCheck(),
                ElementwiseOpChecks.ADAMW,
                ReduceChecks.ROWS_PARTIAL,
                ReduceChecks.COLS_PARTIAL,
                ReduceChecks.FINISH,
                ReduceChecks.BROADCAST,
                LayerNormAxisChecks.FORWARD_STRIDED,
                LayerNormAxisChecks.BACKWARD_DX,
                LayerNormAxisChecks.BACKWARD_DX_STRIDED,
                LayerNormAxisChecks.BACKWARD_PARAMS,
                RowChecks.SOFTMAX,
                RowChecks.LOG_SOFTMAX,
                RowChecks.SOFTMAX_BACKWARD,
                RowChecks.LOG_SOFTMAX_BACKWARD,
                RowChecks.L2NORM,
                RowChecks.L2NORM_BACKWARD,
                LossChecks.XENT,
                LossChecks.XENT_BACKWARD,
                LossChecks.KL_PARTIAL,
                LossChecks.KL_BACKWARD,
                LayoutChecks.TOPK,
                LayoutChecks.TOPK_SCATTER,
                LayoutChecks.GATHER_ROWS,
                LayoutChecks.PERMUTE,
                new MemoryMomentumCheck(),
                MemoryCrossEntropyChecks.FORWARD_PARTIAL,
                MemoryCrossEntropyChecks.FORWARD_FINISH,
                MemoryCrossEntropyChecks.BACKWARD_PARTIAL,
                MemoryCrossEntropyChecks.BACKWARD_REDUCE,
                DhmlChecks.DISTANCE,
                DhmlChecks.BANKS,
                KnnChecks.TOPK,
                KnnChecks.MERGE,
                NeighbourMaskChecks.ROWMAX,
                NeighbourMaskChecks.MASK,
                NeighbourMaskChecks.COUNT
        );
    }

    private SelfTest() {}

    public static List<Verdict> run(Device device, boolean quick, PrintStream out) {
        List<Verdict> verdicts = new ArrayList<>();
        List<KernelSignature> registry = device.registry();
        // The emulator's registry, or on a GPU the fatbins' kernels: the rule is the same on both.
        Set<String> launchable = new LinkedHashSet<>(device.kernelNames());
        Set<String> checked = new LinkedHashSet<>();
        try (CachingAllocator alloc = new CachingAllocator(device)) {
            for (KernelCheck check : checks()) {
                checked.add(check.kernel());
                KernelSignature sig = registry.stream().filter(s -> s.name().equals(check.kernel())).findFirst()
                        .orElse(null);
                if (!launchable.isEmpty() && !launchable.contains(check.kernel())) {
                    verdicts.add(print(out, new Verdict(check.kernel(), false,
                            "FAIL " + check.kernel() + ": has a self-test but is not registered on " + device.name())));
                    continue;
                }
                verdicts.add(print(out, runOne(device, alloc, check, sig, quick)));
            }
        }
        for (Verdict v : unchecked(launchable, checked, device.name())) verdicts.add(print(out, v));
        return verdicts;
    }

    /** A FAIL for every kernel the device can launch that no check covers: nothing ships unchecked. */
    static List<Verdict> unchecked(Set<String> launchable, Set<String> checked, String deviceName) {
        List<Verdict> out = new ArrayList<>();
        for (String k : launchable)
            if (!checked.contains(k))
                out.add(new Verdict(k, false, "FAIL " + k + ": registered on " + deviceName
                        + " but has no self-test (add a KernelCheck)"));
        return out;
    }

    private static Verdict print(PrintStream out, Verdict v) { out.println(v.line()); out.flush(); return v; }

    static Verdict runOne(Device device, CachingAllocator alloc, KernelCheck check, KernelSignature sig,
            boolean quick) {
        boolean twoSeeds = device instanceof EmuDevice && sig != null && sig.deterministic();
        double worst = 0;
        int cases = 0;
        String name = check.kernel();
        try {
            for (int[] shape : check.shapes(quick)) {
                long inputSeed = 1000L * cases + 17;
                if (device instanceof EmuDevice emu) emu.reseed(SEED_A);
                KernelCheck.Run a = check.run(device, alloc, shape, inputSeed);
                worst = Math.max(worst, a.maxError());
                if (!(a.maxError() <= check.bound()))
                    return new Verdict(name, false,
                            String.format("FAIL %-26s max err %.3g > bound %.3g (%s) at shape %s",
                            name, a.maxError(), check.bound(), check.measure(), java.util.Arrays.toString(shape)));
                if (twoSeeds) {
                    ((EmuDevice) device).reseed(SEED_B);
                    KernelCheck.Run b = check.run(device, alloc, shape, inputSeed);
                    int diff = firstBitwiseDifference(a.outputs(), b.outputs());
                    if (diff >= 0)
                        return new Verdict(name, false, String.format("FAIL %-26s not deterministic: "
                                        + "schedule seeds %d and %d differ at output %d (%s vs %s) at shape %s",
                                name, SEED_A, SEED_B, diff, a.outputs()[diff], b.outputs()[diff],
                                java.util.Arrays.toString(shape)));
                }
                cases++;
            }
        } catch (DeviceOutOfMemoryException e) {
            // the device is too small for the test, which says nothing about this kernel: stop, don't FAIL every kernel
            throw e;
        } catch (RuntimeException e) {
            // A refused launch or a driver error fails this kernel only; the checks after it still run.
            String what = e instanceof DeviceException || e instanceof IllegalStateException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new Verdict(name, false, "FAIL " + name + ": " + what);
        }
        return new Verdict(name, true, String.format("PASS %-26s max err %.3g <= bound %.3g (%s), %d shapes%s",
                name, worst, check.bound(), check.measure(), cases,
                twoSeeds ? ", bitwise equal under seeds 1 and 2" : ""), worst);
    }

    /**
     * The README's kernel table: one row per check, in checks() order, with its precision, bound and measure and
     * the error these verdicts measured (ReadmeKernelTableTest keeps the README equal to it; `selftest --device emu
     * --markdown` prints it).
     */
    public static String markdownTable(List<Verdict> verdicts) {
        StringBuilder b = new StringBuilder("| kernel | precision | bound | error measure | emulated max error |\n");
        b.append("| --- | --- | --- | --- | --- |\n");
        for (KernelCheck c : checks()) {
            double measured = verdicts.stream().filter(v -> v.kernel().equals(c.kernel()))
                    .mapToDouble(Verdict::maxError)
                    .findFirst().orElse(Double.NaN);
            b.append(String.format("| `%s` | %s | %.3g | %s | %s |\n", c.kernel(), c.precision(), c.bound(),
                    c.measure().replace("|", "\\|"),
                    Double.isNaN(measured) ? "not run" : String.format("%.3g", measured)));
        }
        return b.toString();
    }

    static int firstBitwiseDifference(float[] a, float[] b) {
        if (a.length != b.length) return Math.min(a.length, b.length);
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return i;
        return -1;
    }
}
