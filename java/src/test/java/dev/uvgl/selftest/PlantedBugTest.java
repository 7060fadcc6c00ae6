package dev.uvgl.selftest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each planted bug (kernels/test/planted.cu), run in its own JVM on the emulator build that carries the
 * planted kernels, must be reported with the kernel's name and what the check can know. The build makes
 * that library whenever it makes libuvgl_emu.so; its absence is a failure, not a skip.
 */
class PlantedBugTest {
    static final Path LIB = Path.of("target/cmake/libuvgl_emu_planted.so");

    @BeforeAll static void libraryIsBuilt() {
        assertTrue(Files.isRegularFile(LIB), LIB.toAbsolutePath()
                + " missing: kernels/build.sh builds it with libuvgl_emu.so (needs nvcc's CUDA headers, cmake, a JDK)");
    }

    static String report(String scenario) throws IOException, InterruptedException {
        return report(scenario, null);
    }

    /** The forked JVM's exit code and whole output. */
    record Outcome(int exit, String output) {}

    static String report(String scenario, String emuThreads) throws IOException, InterruptedException {
        Outcome o = fork(scenario, emuThreads);
        assertEquals(0, o.exit(), o.output());
        int at = o.output().indexOf("REPORT: ");
        assertTrue(at >= 0, o.output());
        return o.output().substring(at + 8).trim();
    }

    static Outcome fork(String scenario, String emuThreads) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The crash scenario's JVM error report goes to the temp directory, not into the source tree.
        String errorFile = "-XX:ErrorFile="
                + Path.of(System.getProperty("java.io.tmpdir"), "uvgl_planted_hs_err_%p.log");
        ProcessBuilder pb = new ProcessBuilder(java, errorFile, "-cp", System.getProperty("java.class.path"),
                "-Duvgl.emu.library=" + LIB.toAbsolutePath(), PlantedBugMain.class.getName(), scenario)
                .redirectErrorStream(true);
        if (emuThreads != null) pb.environment().put("UVGL_EMU_THREADS", emuThreads);
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) p.destroyForcibly();
        assertTrue(ended, scenario + " hung:\n" + out);
        return new Outcome(p.exitValue(), out);
    }

    @Test void sharedMemoryOverTheLimitNamesTheArray() throws Exception {
        assertContains(report("shared-overflow"), "kernel planted_shared_overflow at block (0,0,0) thread (",
                "shared array 'big' (52000 bytes at offset 0) exceeds the block's 49152 bytes of shared memory");
    }

    /** 64 blocks x 256 threads on two host threads: every atomic add counted (0.5 sums exactly in float up to 2^24). */
    @Test void atomicsAreCorrectAcrossHostThreads() throws Exception {
        assertContains(report("atomics", "2"), "count=16384 sum=8192.0");
    }

    static void assertContains(String report, String... parts) {
        for (String part : parts) assertTrue(report.contains(part), "report lacks '" + part + "':\n" + report);
    }

    @Test void removedSyncthreadsFailsTheSelfTest() throws Exception {
        String r = report("missing-sync");
        assertContains(r, "FAIL", "planted_missing_sync");
        assertTrue(r.contains("max err Infinity")
                || r.contains("not deterministic: schedule seeds 1 and 2 differ at output"), r);
    }

    @Test void offByOneStoreNamesKernelAllocationAndOffset() throws Exception {
        assertContains(report("off-by-one"), "kernel planted_off_by_one wrote past the end of allocation",
                "'planted output' (400 bytes)",
                "byte offset 400 (0 bytes past the end)");
    }

    @Test void barrierReachedByHalfTheBlockNamesBlockAndThreads() throws Exception {
        assertContains(report("half-barrier"), "kernel planted_half_barrier",
                "__syncthreads reached by 32 of 64 threads of block (0,0,0)",
                "32 returned before it");
    }

    @Test void shuffleAfterDivergenceNamesTheLanes() throws Exception {
        assertContains(report("diverged-shuffle"), "kernel planted_diverged_shuffle",
                "__shfl_down_sync with mask 0xffffffff",
                "waits for lane 16, which has returned", "block (0,0,0) thread (16,0,0)");
    }

    @Test void spinningBlockIsStoppedByTheWatchdog() throws Exception {
        assertContains(report("spin"), "watchdog: kernel planted_spin ran past 1500 ms", "still running: block (");
    }

    @Test void wrongArgumentListIsRefused() throws Exception {
        assertContains(report("wrong-args"), "kernel uvgl_fill_f32 launched with 3 arguments of types (pif)",
                "its signature is 3 arguments of types (pfl)");
    }

    /** Thread order is shuffled from the seed: equal seeds replay exactly (one host thread), other seeds differ. */
    @Test void scheduleIsShuffledBySeedAndReplaysExactly() throws Exception {
        String one = report("replay", "1"), again = report("replay", "1");
        assertEquals(one, again, "one host thread and equal seeds must replay the same schedule");
        String[] runs = one.split(" (?=seed)");
        assertEquals(5, runs.length, one);
        assertEquals(runs[0].substring(6), runs[1].substring(6), "seed 1 twice in one process: " + one);
        long distinct = java.util.Arrays.stream(runs).map(x -> x.substring(6)).distinct().count();
        assertTrue(distinct >= 3, "seeds 1..4 should leave different last writers: " + one);
    }

    /** An async copy lands at its wait: a kernel that reads the tile without waiting reads poison. */
    @Test void readingBeforeThePipelineWaitReadsPoison() throws Exception {
        assertContains(report("pipeline"), "wait=1: 0 NaN, 0 wrong;", "wait=0: 256 NaN, 0 wrong;");
    }

    @Test void warpBarrierAgainstBlockBarrierIsADeadlockReport() throws Exception {
        assertContains(report("mixed-barriers"), "kernel planted_mixed_barriers", "__syncwarp with mask 0xffffffff",
                "waits at __syncthreads (deadlock between a block barrier and a warp barrier)");
    }

    /** Past the canaries a guard page stops the store: the process crashes, and the crash names the kernel's frame. */
    @Test void farOverrunHitsTheGuardPage() throws Exception {
        Outcome o = fork("far-overrun", null);
        assertTrue(o.exit() != 0 && !o.output().contains("REPORT: no error"), o.output());
        assertContains(o.output(), "SIGSEGV", "planted_far_overrun");
    }
}
