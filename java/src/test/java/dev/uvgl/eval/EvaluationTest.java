package dev.uvgl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.synth.SynthOptions;
import dev.uvgl.data.synth.SynthWorld;
import dev.uvgl.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    @TempDir Path tmp;

    /** A stand-in model: mean colour of each of 4x4 cells (a weak but real image embedding). */
    private static float[][] cellColours(dev.uvgl.tensor.Tensor batch) {
        int n = batch.dim(0), h = batch.dim(1), w = batch.dim(2);
        float[] d = batch.toFloatArray();
        float[][] out = new float[n][48];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++)
                        out[i][((y * 4 / h) * 4 + x * 4 / w) * 3 + c] += d[((i * h + y) * w + x) * 3 + c] + 3;
        return out;
    }

    @Test void evaluatesBothDirectionsOnASynthWorldAndPrintsTableAndJson() throws IOException {
        Path w = tmp.resolve("w");
        new SynthWorld(new SynthOptions(4, 8, 48, 3)).generate(w, Progress.NONE);
        GeoDataset d = new DatasetLoader(m -> {}).load(w, null).get(0);
        List<String> notes = new ArrayList<>();
        EvaluationResult r = Evaluation.run(d, EvaluationTest::cellColours, CpuBackend.INSTANCE,
                new Evaluation.Options(32, 7, Protocol.STANDARD, List.of(Direction.D2S, Direction.S2D), 2, null),
                Progress.NONE, notes::add);
        assertEquals(2, r.directions().size());
        RetrievalMetrics d2s = r.directions().get(0), s2d = r.directions().get(1);
        assertEquals(32, d2s.queries());
        assertEquals(5, d2s.gallery());
        assertEquals(4, s2d.queries());
        assertEquals(40, s2d.gallery());
        assertNotNull(d2s.localisation());
        assertTrue(d2s.recallAt1() >= 0 && d2s.recallAt10() == 100, "5 tiles: every query's tile is in the top 10");
        RetrievalMetrics ref = Evaluation.run(d, EvaluationTest::cellColours, CpuBackend.INSTANCE,
                new Evaluation.Options(32, 7, Protocol.REFERENCE, List.of(Direction.D2S), 1, null), Progress.NONE,
                notes::add).directions().get(0);
        assertEquals(4, ref.rankedGallery(), "the reference protocol drops the distractor");
        assertTrue(ref.recallAt1() >= d2s.recallAt1());
        assertTrue(r.table().contains("drone->satellite") && r.table().contains("satellite->drone"), r.table());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals("standard", json.get("protocol").asText());
        assertEquals(32, json.get("directions").get(0).get("queries").asInt());
        assertTrue(notes.isEmpty(), notes.toString());
    }

    @Test void gpsErrorAndSdmOnAHandWorkedCase() {
        // Two queries, three tiles; query 0's best tile is at its
        // own position, query 1's is 0.0005 deg of latitude away.
        Features q = new Features(new float[] {1, 0, 0, 1}, 2, 2, new int[] {0, 1}, new double[] {30, 30.0005},
                new double[] {120, 120});
        Features g = new Features(new float[] {1, 0, 0, 1, -1, 0}, 3, 2, new int[] {0, 2, 1}, new double[] {30, 30, 40},
                new double[] {120, 120, 100});
        RetrievalMetrics m = new RetrievalEvaluator(CpuBackend.INSTANCE).evaluate("d2s", q, g, Protocol.STANDARD, true);
        assertEquals(50, m.recallAt1(), 0);
        double metres = RetrievalEvaluator.haversine(30, 120, 30.0005, 120);
        assertEquals(55.6, metres, 0.1);
        assertEquals(metres / 2, m.localisation().medianMetres(), 1e-9);
        assertEquals(50, m.localisation().under25m(), 0);
        assertEquals(100, m.localisation().under100m(), 0);
        assertEquals(100 * (1 + Math.exp(-5000 * 0.0005)) / 2, m.sdm()[0], 1e-9);
        assertNull(new RetrievalEvaluator(CpuBackend.INSTANCE).evaluate("d2s", q, g, Protocol.STANDARD, false).sdm());
    }
}
