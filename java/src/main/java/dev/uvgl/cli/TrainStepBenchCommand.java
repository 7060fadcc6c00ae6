package dev.uvgl.cli;

import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.backend.cpu.KernelProfiler;
import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.TrainStep;
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
 * `bench train-step`: images/second of forward + backward + SGD step of the backbone alone, and with
 * --torch the same step in PyTorch (bench/torch_step.py) in the same run, so the ratio is comparable.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Images/s of one backbone training step (forward, backward, SGD), optionally beside PyTorch's.",
        footer = {"", "Example:", "  java -jar engine.jar bench train-step --model atto --size 128 --batch 32 --torch bench/torch_step.py"})
public final class TrainStepBenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "atto", description = "atto | femto | pico | nano | tiny | small (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--size", defaultValue = "128", description = "image size in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", defaultValue = "32", description = "images per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "5", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repeats", defaultValue = "1", description = "timed runs of each side, alternating engine and PyTorch; the best of each is compared, "
            + "which filters out interference on a shared machine (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--profile", description = "print time per CPU kernel over the timed steps")
    boolean profile;

    @Option(names = "--torch", paramLabel = "SCRIPT", description = "also run this PyTorch script (bench/torch_step.py) with the same settings and print the ratio")
    File torchScript;

    @Option(names = "--python", defaultValue = "python3", description = "interpreter for --torch (default: ${DEFAULT-VALUE})")
    String python;

    @Override public Integer call() throws Exception {
        ConvNeXtConfig config;
        try {
            config = ConvNeXtConfig.named(model);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (size < 32 || size % 32 != 0) throw new UserError("--size " + size + " is not a positive multiple of 32");
        if (batch < 1 || steps < 1 || warmup < 0 || repeats < 1) throw new UserError("--batch, --steps and --repeats must be >= 1, --warmup >= 0");
        var net = new ConvNeXt(config, CpuBackend.INSTANCE, DType.F32, 0);
        var step = new TrainStep(net, CpuBackend.INSTANCE, batch, size, 1);
        for (int i = 0; i < warmup; i++) step.run();
        double bestEngine = 0, bestTorch = 0;
        for (int r = 0; r < repeats; r++) {
            KernelProfiler prof = profile && r == 0 ? KernelProfiler.start() : null;
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            KernelProfiler.stop();
            double engine = steps * batch / seconds;
            bestEngine = Math.max(bestEngine, engine);
            System.out.printf("engine  cpu  %s %dpx batch %d: %.1f img/s (%d steps, %.2f s/step, %d threads)%n",
                    config.name(), size, batch, engine, steps, seconds / steps, Parallel.threads());
            if (prof != null) printProfile(prof.totals(), seconds);
            if (torchScript != null) {
                Double torch = runTorch();
                if (torch == null) return 1;
                bestTorch = Math.max(bestTorch, torch);
            }
        }
        if (torchScript != null)
            System.out.printf("best of %d: engine %.1f img/s, pytorch %.1f img/s, ratio engine / pytorch = %.2fx%n", repeats, bestEngine, bestTorch, bestEngine / bestTorch);
        return 0;
    }

    private static void printProfile(Map<String, long[]> totals, double seconds) {
        long sum = totals.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf("kernels: %.2f s of %.2f s wall (the rest: autograd, allocation, outside kernels)%n", sum / 1e9, seconds);
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf("  %-28s %8.3f s %5.1f%% %6d calls%n", e.getKey(), e.getValue()[0] / 1e9, 100.0 * e.getValue()[0] / (seconds * 1e9), e.getValue()[1]));
    }

    /** Images/s the script reports on its last line ("... img/s"), or null with a message when it cannot run. */
    private Double runTorch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, torchScript.getPath(), "--model", config(), "--size", "" + size,
                "--batch", "" + batch, "--steps", "" + steps, "--warmup", "" + warmup));
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
