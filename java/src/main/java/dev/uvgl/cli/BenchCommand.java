package dev.uvgl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * `bench <name>`: end-to-end figures measured inside the engine (train-step, cluster, kernels), each
 * printed with its comparison from the same run. Microbenchmarks of single ops live in bench/ (JMH).
 * Each benchmark is a subcommand registered in the list below.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: each figure with its comparison measured in the same run.",
        subcommands = {KernelsBenchCommand.class, TrainStepBenchCommand.class, BenchClusterCommand.class,
                BaselinesBenchCommand.class, LearningBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }
}
