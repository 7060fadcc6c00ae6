package dev.uvgl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `java -jar engine.jar <command>`. Commands parse and report; the work lives in the other packages. */
@Command(name = "engine.jar", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "UVGL Engine: self-supervised drone <-> satellite geo-localization (DMNIL).",
        subcommands = {InfoCommand.class, SelfTestCommand.class, SynthCommand.class, FeaturesCommand.class,
                ClusterCommand.class, EvalCommand.class, TrainCommand.class, PretrainCommand.class, LocateCommand.class,
                DemoCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) { System.exit(run(args)); }

    /** Runs a command line and returns its exit code: 0 ok, 2 bad usage or input, 1 a failure while running. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            // Failures whose message already names the problem and the fix: one line, no exception class.
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof dev.uvgl.util.AtomicFiles.WriteFailedException
                    || cause instanceof dev.uvgl.device.DeviceException
                    || cause instanceof dev.uvgl.model.weights.WeightFileException) {
                cmd.getErr().println("error: " + cause.getMessage());
                return 1;
            }
            cmd.getErr().println("error: " + e);
            return 1;
        });
        // A mistyped or missing option is bad input like any other:
        // one line and where to look, not the whole usage text.
        cli.setParameterExceptionHandler((ex, rest) -> {
            CommandLine cmd = ex.getCommandLine();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
                hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
            String message = ex.getMessage().strip().replace('\n', ' ').replaceFirst("^Error: ", "");
            cmd.getErr().println("error: " + message + hint + "; see `java -jar "
                    + cmd.getCommandSpec().qualifiedName() + " --help`");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli.execute(args);
    }

    @Override public void run() { new CommandLine(this).usage(System.out); }
}
