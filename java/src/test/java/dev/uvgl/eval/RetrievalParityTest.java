package dev.uvgl.eval;

import dev.uvgl.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The engine's metrics against University-1652's compute_mAP/CMC
 * (src/test/python/make_eval_fixtures.py): equal, not close.
 */
class RetrievalParityTest {
    @Test void matchesUniversity1652EvaluationExactlyInBothProtocols() throws IOException {
        Map<String, String[]> f = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/fixtures/eval_parity.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] parts = line.split(" ");
                f.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
            }
        }
        int nq = Integer.parseInt(f.get("dims")[0]), ng = Integer.parseInt(f.get("dims")[1]),
                d = Integer.parseInt(f.get("dims")[2]);
        Features q = new Features(floats(f.get("qf")), nq, d, ints(f.get("ql")));
        Features g = new Features(floats(f.get("gf")), ng, d, ints(f.get("gl")));
        RetrievalEvaluator ev = new RetrievalEvaluator(CpuBackend.INSTANCE);
        for (Protocol p : Protocol.values()) {
            String[] want = f.get(p.name().toLowerCase());
            assertNotNull(want);
            RetrievalMetrics m = ev.evaluate("d2s", q, g, p, false);
            assertEquals(100 * Double.parseDouble(want[0]), m.recallAt1(), 0, p + " R@1");
            assertEquals(100 * Double.parseDouble(want[1]), m.recallAt5(), 0, p + " R@5");
            assertEquals(100 * Double.parseDouble(want[2]), m.recallAt10(), 0, p + " R@10");
            assertEquals(100 * Double.parseDouble(want[3]), m.recallAtTop1Percent(), 0, p + " R@top1%");
            assertEquals(100 * Double.parseDouble(want[4]), m.ap(), 0, p + " AP");
            // Scored in blocks of 7 queries (as a 51,355-image gallery would be), the numbers are the same.
            RetrievalMetrics blocked = new RetrievalEvaluator(CpuBackend.INSTANCE, 7L * ng)
                    .evaluate("d2s", q, g, p, false);
            assertEquals(m.ap(), blocked.ap(), 0);
            assertEquals(m.recallAt1(), blocked.recallAt1(), 0);
            assertEquals(m.recallAtTop1Percent(), blocked.recallAtTop1Percent(), 0);
        }
    }

    private static float[] floats(String[] s) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) out[i] = Float.parseFloat(s[i]);
        return out;
    }

    private static int[] ints(String[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) out[i] = Integer.parseInt(s[i]);
        return out;
    }
}
