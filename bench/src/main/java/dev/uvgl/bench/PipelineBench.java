package dev.uvgl.bench;

import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.image.TrainAugment;
import dev.uvgl.data.pipeline.Batch;
import dev.uvgl.data.pipeline.BatchMaker;
import dev.uvgl.data.pipeline.PkSampler;
import dev.uvgl.data.pipeline.Prefetcher;
import dev.uvgl.data.synth.SynthOptions;
import dev.uvgl.data.synth.SynthWorld;
import dev.uvgl.util.Progress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Images per second of the training input pipeline alone (decode + colour jitter + resize + pad/crop
 * + flip + normalise, PK-sampled batches of 64 drone images, prefetched on a pool), on a synthetic
 * world's drone images; `threads` = 1 is the comparison for the pool. Score unit: images/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PipelineBench {
    private static final int BATCHES = 4, BATCH = 64;

    @Param({"128"}) public int size;
    @Param({"1", "2"}) public int threads;

    private Path world;
    private GeoDataset data;
    private PkSampler sampler;
    private BatchMaker maker;

    @Setup(Level.Trial) public void setUp() throws IOException {
        world = Files.createTempDirectory("uvgl-bench-world").resolve("w");
        new SynthWorld(new SynthOptions(16, 16, size, 5)).generate(world, Progress.NONE);
        data = new DatasetLoader(m -> {}).load(world, null).get(0);
        int[] labels = new int[data.trainDrone().size()];
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i++)
            labels[i] = ids.computeIfAbsent(data.trainDrone().items().get(i).place(), k -> ids.size());
        sampler = new PkSampler(labels, 4, BATCH, 1);
        maker = new BatchMaker(r -> data.trainDrone().items().get(r).path(), new TrainAugment(size), 1, 7, m -> {});
    }

    @Benchmark @OperationsPerInvocation(BATCHES * BATCH)
    public float pipelineImages() {
        float sink = 0;
        try (Prefetcher p = new Prefetcher(maker, sampler.epoch(BATCHES).iterator(), threads, 2 * threads)) {
            for (Batch b; (b = p.next()) != null; ) sink += b.data()[0];
        }
        return sink;
    }

    @TearDown(Level.Trial) public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(world.getParent())) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
