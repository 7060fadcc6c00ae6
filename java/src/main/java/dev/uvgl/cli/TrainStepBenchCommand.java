package dev.uvgl.cli;

import dev.uvgl.backend.Backend;
import dev.uvgl.backend.DeviceMemoryStats;
import dev.uvgl.backend.Scope;
import dev.uvgl.backend.cpu.KernelProfiler;
import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.backend.cuda.GemmPrecision;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.harness.TrainStep;
import dev.uvgl.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `bench train-step`: images/second of forward + backward + SGD step of the backbone alone on a device, and
 * with --torch the same step in PyTorch (bench/torch_step.py) on the same device in the same run, so the
 * ratio is comparable: on a GPU both PyTorch eager FP32 and AMP BF16, beside the engine at --precision.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Images/s of one backbone training step (forward, backward, SGD), optionally beside PyTorch's.",
        footer = {"", "Examples:",
                "  java -jar engine.jar bench train-step --model atto --size 128 --batch 32"
                        + " --torch bench/torch_step.py",
                "  java -jar engine.jar bench train-step --device cuda --model tiny --size 384 --batch 64"
                        + " --precision bf16"
                        + " --torch bench/torch_step.py"})
public final class TrainStepBenchCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu | cuda | emu | auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--precision", defaultValue = "fp32",
            description = "GEMM precision on cuda/emu: fp32 | bf16 (BF16 tensor cores, float32 accumulation) "
                    + "(default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--emu-memory", paramLabel = "SIZE", defaultValue = ByteSize.EMU_DEFAULT,
            description = ByteSize.EMU_HELP, converter = ByteSize.Checked.class)
    String emuMemory;

    @Option(names = "--model", defaultValue = "atto",
            description = "atto | femto | pico | nano | tiny | small (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--size", defaultValue = "128", description = "image size in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", defaultValue = "32", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "5", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repeats", defaultValue = "1",
            description = "timed runs of each side, alternating engine and PyTorch; the best of each is compared, "
            + "which filters out interference on a shared machine (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--profile", description = "print time per CPU kernel over the timed steps")
    boolean profile;

    @Option(names = "--torch", paramLabel = "SCRIPT",
            description = "also run this PyTorch script (bench/torch_step.py) with the same settings "
                    + "and print the ratio")
    File torchScript;

    @Option(names = "--python", defaultValue = "python3",
            description = "interpreter for --torch (default: ${DEFAULT-VALUE})")
    String python;

    @Override public Integer call() throws Exception {
        ConvNeXtConfig config;
        try {
            config = ConvNeXtConfig.named(model);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (size < 32 || size % 32 != 0) throw new UserError("--size " + size + " is not a positive multiple of 32");
        if (batch < 1 || steps < 1 || warmup < 0 || repeats < 1)
            throw new UserError("--batch, --steps and --repeats must be >= 1, --warmup >= 0");
        if (!precision.equals("fp32") && !precision.equals("bf16")) throw new UserError("--precision " + precision
                + ": use fp32 or bf16");
        Backend be = DeviceOptions.backend(device, emuMemory);
        try {
            return measure(config, be);
        } finally {
            // The emulated device's memory is process-wide: give it back for whatever runs next in this JVM.
            if (be instanceof CudaBackend c) c.close();
        }
    }

    private int measure(ConvNeXtConfig config, Backend be) throws IOException, InterruptedException {
        if (be instanceof CudaBackend c) c.setGemmPrecision(precision.equals("bf16") ? GemmPrecision.BF16
                : GemmPrecision.FP32);
        else if (precision.equals("bf16"))
            throw new UserError("--precision bf16 needs --device cuda (or emu); the CPU backend computes in float32");
        String where = be.name();
        var net = new ConvNeXt(config, be, DType.F32, 0);
        var step = new TrainStep(net, be, batch, size, 1);
        for (int i = 0; i < warmup; i++) timedStep(be, step);
        List<String> torchPrecisions = torchPrecisions(be);
        double bestEngine = 0;
        double[] bestTorch = new double[torchPrecisions.size()];
        for (int r = 0; r < repeats; r++) {
            KernelProfiler prof = profile && r == 0 && be.onHost() ? KernelProfiler.start() : null;
            DeviceMemoryStats before = be.memoryStats();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) timedStep(be, step);
            double seconds = (System.nanoTime() - t0) / 1e9;
            KernelProfiler.stop();
            double engine = steps * batch / seconds;
            bestEngine = Math.max(bestEngine, engine);
            System.out.printf("engine  %s %s %dpx batch %d, %s: %.1f img/s (%d steps, %.3f s/step%s)%n", where,
                    config.name(), size, batch, precision,
                    engine, steps, seconds / steps, be.onHost() ? ", " + Parallel.threads() + " threads" : "");
            DeviceMemoryStats after = be.memoryStats();
            if (after != null)
                System.out.printf("  device: %.1f host syncs per step; %s%n",
                        (after.hostSyncs() - before.hostSyncs()) / (double) steps, after.describe());
            if (prof != null) printProfile(prof.totals(), seconds);
            else if (profile && r == 0)
                System.out.println("  --profile times CPU kernels only; on a device use nsys/ncu");
            for (int t = 0; t < torchPrecisions.size(); t++) {
                Double torch = runTorch(torchDevice(be), torchPrecisions.get(t));
                if (torch == null) return 1;
                bestTorch[t] = Math.max(bestTorch[t], torch);
            }
        }
        for (int t = 0; t < torchPrecisions.size(); t++)
            System.out.printf(
                    "best of %d: engine %s %.1f img/s, pytorch %s %s %.1f img/s, ratio engine / pytorch = %.2fx%n",
                    repeats, precision, bestEngine, torchDevice(be), torchLabel(torchPrecisions.get(t)), bestTorch[t],
                    bestEngine / bestTorch[t]);
        return 0;
    }

    /** One step in its own scope: a device frees the step's activations and gradients, as training does. */
    private static void timedStep(Backend be, TrainStep step) {
        try (Scope s = be.scope()) { step.run(); }
    }

    /** On a GPU PyTorch runs eager FP32 and AMP BF16; elsewhere FP32 only. None without --torch. */
    private List<String> torchPrecisions(Backend be) {
        if (torchScript == null) return List.of();
        if (be instanceof CudaBackend c && !c.onRealGpu())
            System.out.println("note: the emulated device is not a GPU; PyTorch runs on the CPU for the comparison");
        return torchDevice(be).equals("cuda") ? List.of("fp32", "bf16") : List.of("fp32");
    }

    private static String torchDevice(Backend be) { return be instanceof CudaBackend c && c.onRealGpu() ? "cuda"
            : "cpu"; }

    private static String torchLabel(String p) { return p.equals("bf16") ? "AMP BF16" : "eager FP32"; }

    private static void printProfile(Map<String, long[]> totals, double seconds) {
        long sum = totals.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf("kernels: %.2f s of %.2f s wall (the rest: autograd, allocation, outside kernels)%n",
                sum / 1e9, seconds);
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf("  %-28s %8.3f s %5.1f%% %6d calls%n", e.getKey(), e.getValue()[0] / 1e9,
                        100.0 * e.getValue()[0] / (seconds * 1e9), e.getValue()[1]));
    }

    /** Images/s the script reports on its last line ("... img/s"), or null with a message when it cannot run. */
    private Double runTorch(String torchDevice, String torchPrecision) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, torchScript.getPath(), "--model", config(),
                "--size", "" + size,
                "--batch", "" + batch, "--steps", "" + steps, "--warmup", "" + warmup, "--device", torchDevice,
                        "--precision", torchPrecision));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) { System.out.println("  [torch] " + line); last = line; }
        }
        if (p.waitFor() != 0 || last == null || !last.contains("img/s")) {
            System.out.println("pytorch comparison did not run (exit " + p.exitValue() + ")");
            return null;
        }
        String[] words = last.trim().split("\\s+");
        for (int i = 1; i < words.length; i++) if (words[i].equals("img/s")) return Double.parseDouble(words[i - 1]);
        return null;
    }

    private String config() { return model.toLowerCase(); }
}
