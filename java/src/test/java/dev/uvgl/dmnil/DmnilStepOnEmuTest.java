package dev.uvgl.dmnil;

import dev.uvgl.backend.DeviceMemoryStats;
import dev.uvgl.backend.cuda.CudaBackend;
import dev.uvgl.data.pipeline.Batch;
import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.nn.optim.Sgd;
import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DMNIL step on the emulated device: device memory comes back every step (live blocks after step 20
 * equal those after step 2: the first step adds only the optimiser's momentum buffers), and the step waits
 * for the host as often as the README says, counted per phase by the device itself.
 */
class DmnilStepOnEmuTest {
    /** A ConvNeXt of ConvNeXt's layers at the smallest widths: the emulated device runs fibers, not a GPU. */
    private static final ConvNeXtConfig MICRO = new ConvNeXtConfig("micro", new int[] {1, 1, 1, 1}, new int[] {8, 16,
            24, 32});
    private static final int DIM = 32, ROWS = 24, CLUSTERS = 4, BATCH = 4, SIZE = 32;
    private static CudaBackend be;

    @BeforeAll static void open() {
        EmuLibrary.State lib = EmuLibrary.load();
        assertTrue(lib.loaded(), "the emulated device must load in CI: " + lib.detail());
        be = new CudaBackend(EmuDevice.open(EmuDevice.Config.defaults().withCapacity(512L << 20)));
    }

    @AfterAll static void close() { be.close(); }

    private static DmnilConfig config() {
        DmnilConfig c = new DmnilConfig();
        c.size = SIZE;
        c.batchSize = BATCH;
        c.hm = 1;
        c.ht = 2;
        c.cmlabel = 4;
        c.tau = 0.5;
        c.lr = 0.01;
        return c;
    }

    /** 24 rows in 4 pseudo clusters of 6, features drawn around 4 centres (the clustering's raw features). */
    private static PseudoLabels labels(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[ROWS];
        float[] raw = new float[ROWS * DIM];
        for (int i = 0; i < ROWS; i++) {
            y[i] = i % CLUSTERS;
            for (int j = 0; j < DIM; j++) raw[i * DIM + j] = (float) ((j % CLUSTERS == y[i] ? 1 : 0)
                    + 0.3 * r.nextGaussian());
        }
        return PseudoLabels.of(y, raw, ROWS, DIM, 0);
    }

    private static Batch batch(SplittableRandom r, int rows, int views) {
        int[] picked = new int[rows];
        for (int i = 0; i < rows; i++) picked[i] = (i * 5 + r.nextInt(3)) % ROWS;
        float[] px = new float[rows * views * SIZE * SIZE * 3];
        for (int i = 0; i < px.length; i++) px[i] = (float) r.nextGaussian();
        return new Batch(0, picked, views, SIZE, px);
    }

    private record Phase(int epoch, boolean shared) {}

    @Test void liveBlocksStayFlatAndEveryPhaseSyncsAsStated() {
        DmnilConfig cfg = config();
        ConvNeXt model = new ConvNeXt(MICRO, be, DType.F32, 3).train(true);
        Sgd sgd = new Sgd(model.parameters(), cfg.lr, cfg.sgdMomentum, cfg.weightDecay);
        DmnilStep step = new DmnilStep(cfg, be, model, sgd, cfg.cmlabel);
        PseudoLabels drone = labels(1), sat = labels(2);
        SplittableRandom r = new SplittableRandom(7);
        Map<String, Long> syncs = new LinkedHashMap<>();
        for (Phase p : new Phase[] {new Phase(0, false), new Phase(1, false), new Phase(2, false), new Phase(3, false),
                new Phase(4, true)}) {
            EpochMemories mem = p.shared()
                    ? EpochMemories.shared(be, drone, sat, sat.labels(), labels(1).unitFeatures(),
                            labels(2).unitFeatures(), 0.1)
                    : EpochMemories.perView(be, drone, sat, 0.2);
            int steps = p.epoch() == 1 ? 20 : 2, afterStep2 = -1;
            for (int s = 1; s <= steps; s++) {
                long before = be.memoryStats().hostSyncs();
                Map<String, Double> v = step.run(p.epoch(), mem, batch(r, BATCH, 1), batch(r, BATCH / 2, 2),
                        x -> {}, null, s);
                assertTrue(Double.isFinite(v.get("total")), "epoch " + p.epoch() + " step " + s + ": " + v);
                long used = be.memoryStats().hostSyncs() - before;
                Long seen = syncs.putIfAbsent("epoch " + p.epoch(), used);
                if (seen != null) assertEquals(seen, used, "every step of a phase waits for the host as often");
                if (s == 2) afterStep2 = be.liveBlocks();
            }
            DeviceMemoryStats m = be.memoryStats();
            assertEquals(afterStep2, m.liveBlocks(), "epoch " + p.epoch() + ": live blocks after step " + steps
                    + " vs step 2 (" + m.describe() + ")");
            mem.close();
        }
        System.out.println("host syncs per step: " + syncs);
        // The README's table: the batched loss read, plus what each neighbour term reads (mask, neighbour
        // cells, its backward's upstream gradient) and the regulariser's top-k, similarities and gradient.
        assertEquals(Map.of("epoch 0", 1L, "epoch 1", 7L, "epoch 2", 13L, "epoch 3", 10L, "epoch 4", 13L), syncs);
    }
}
