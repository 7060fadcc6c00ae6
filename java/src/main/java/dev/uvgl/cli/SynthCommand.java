package dev.uvgl.cli;

import dev.uvgl.data.synth.ContactSheet;
import dev.uvgl.data.synth.SynthOptions;
import dev.uvgl.data.synth.SynthWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generates the synthetic drone/satellite world (University-1652 layout + gps.csv), "
                + "deterministic from the seed.")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "new or empty folder to create the world in") Path out;
    @Option(names = "--places", defaultValue = "" + SynthOptions.DEFAULT_PLACES,
            description = "train places; as many test places and a quarter as many distractors "
                    + "(default ${DEFAULT-VALUE})")
    int places;
    @Option(names = "--drones-per-place", defaultValue = "" + SynthOptions.DEFAULT_DRONES,
            description = "drone views per place, 8..54 (default ${DEFAULT-VALUE})") int drones;
    @Option(names = "--size", defaultValue = "" + SynthOptions.DEFAULT_SIZE,
            description = "image side in pixels (default ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--seed", defaultValue = "" + SynthOptions.DEFAULT_SEED,
            description = "world seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--tile-span", defaultValue = "" + SynthOptions.DEFAULT_TILE_SPAN, paramLabel = "METRES",
            description = "ground covered by a satellite tile (default ${DEFAULT-VALUE}, University-1652's scale); "
                    + "pretraining sources use wider tiles to crop, rotate and tilt")
    double tileSpan;
    @Option(names = "--preview", description = "also write a PNG grid: 3 test places, their tile and 4 drone views")
    Path preview;

    @Override public Integer call() throws Exception {
        SynthOptions opt = new SynthOptions(places, drones, size, seed, 0.5, tileSpan);
        if (opt.problem() != null) throw new UserError(opt.problem());
        long t0 = System.nanoTime();
        double mapSeconds;
        try {
            SynthWorld world = new SynthWorld(opt);
            world.generate(out, ConsoleProgress.factory());
            mapSeconds = world.mapSeconds();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (preview != null) ContactSheet.write(out, 3, preview);
        System.out.printf("synthetic world: %d train + %d test + %d distractor places, %d drone views each, %d px, "
                        + "seed %d -> %s (%.1f s, map %.1f s)%n",
                places, places, opt.distractors(), drones, size, seed, out, (System.nanoTime() - t0) / 1e9, mapSeconds);
        return 0;
    }
}
