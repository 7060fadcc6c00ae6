package dev.uvgl.cli;

import dev.uvgl.testing.CliRun;
import dev.uvgl.util.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCommandTest {
    @TempDir Path tmp;

    private static CliRun run(String... args) { return CliRun.of(args); }

    private static Path fixture(String file) throws Exception {
        return Path.of(ClusterCommandTest.class.getResource("/fixtures/cluster/mixture_600/" + file).toURI());
    }

    @Test void writesScikitLearnsLabelsAndReportsCounts() throws Exception {
        Path out = tmp.resolve("labels.npy");
        for (String eps : new String[] {"0.4", "0.3"}) {
            CliRun r = run("cluster", "--features", fixture("features.npy").toString(), "--out", out.toString(),
                    "--eps", eps);
            assertEquals(0, r.code(), r.err());
            long[] want = Npy.readLongs(fixture(eps.equals("0.4") ? "labels_eps0.40.npy" : "labels_eps0.30.npy"));
            assertArrayEquals(want, Npy.readLongs(out));
            long noise = java.util.Arrays.stream(want).filter(l -> l == -1).count();
            assertTrue(r.out().contains("12 clusters, " + noise + " noise"), r.out());
        }
    }

    private void assertBadInput(String expected, String... args) {
        Path out = tmp.resolve("never.npy");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        CliRun r = run(all);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(out), "an output was written despite the error");
    }

    @Test void badInputIsOneLineWithExitCode2() throws Exception {
        assertBadInput("does not exist", "cluster", "--features", tmp.resolve("missing.npy").toString());

        Path corrupt = tmp.resolve("corrupt.npy");
        Files.write(corrupt, "definitely not numpy".getBytes(StandardCharsets.US_ASCII));
        assertBadInput("not a .npy file", "cluster", "--features", corrupt.toString());

        float[] x = new float[100 * 8];
        Random rng = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        x[3 * 8 + 5] = Float.NaN;
        Path nan = tmp.resolve("nan.npy");
        Npy.writeFloats(nan, x, 100, 8);
        assertBadInput("row 3 holds NaN", "cluster", "--features", nan.toString());

        x[3 * 8 + 5] = 0;
        for (int k = 0; k < 8; k++) x[7 * 8 + k] = 0;
        Path zero = tmp.resolve("zero.npy");
        Npy.writeFloats(zero, x, 100, 8);
        assertBadInput("row 7 is all zeros", "cluster", "--features", zero.toString());

        x[7 * 8] = 1;
        Path small = tmp.resolve("small.npy");
        Npy.writeFloats(small, java.util.Arrays.copyOf(x, 20 * 8), 20, 8);
        assertBadInput("too few for k1 = 30", "cluster", "--features", small.toString());

        assertBadInput("must lie in (0, 1)", "cluster", "--features", fixture("features.npy").toString(),
                "--eps", "1.5");
        assertBadInput("k2 = 40", "cluster", "--features", fixture("features.npy").toString(), "--k2", "40");

        Path flat = tmp.resolve("flat.npy");
        Npy.writeFloats(flat, new float[12], 12);
        assertBadInput("expected [N, D]", "cluster", "--features", flat.toString());
    }

    @Test void benchRunsWithoutTheReference() {
        CliRun r = run("bench", "cluster", "--n", "400,600", "--dim", "32", "--no-reference");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dense reference skipped: --no-reference"), r.out());
        assertTrue(r.out().contains("| 600 |"), r.out());
    }
}
