package dev.uvgl.device;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build-time ptxas report: parsed right, and no kernel spills unless its source names the reason. */
class StaticReportTest {
    static final String SAMPLE = """
            ptxas info    : Compiling entry function 'k_spill' for 'sm_90'
            ptxas info    : Function properties for k_spill
                16 bytes stack frame, 8 bytes spill stores, 12 bytes spill loads
            ptxas info    : Used 255 registers, used 1 barriers, 4096 bytes smem
            ptxas info    : Compiling entry function 'k_clean' for 'sm_90'
            ptxas info    : Function properties for k_clean
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 32 registers, used 0 barriers
            """;

    @Test void parsesRegistersSpillsAndSharedMemory() {
        List<PtxasReport.Entry> e = PtxasReport.parse("x", SAMPLE);
        assertEquals(2, e.size());
        assertTrue(e.get(0).spills());
        assertEquals(255, e.get(0).registers());
        assertEquals(4096, e.get(0).sharedBytes());
        assertFalse(e.get(1).spills());
        // 255 registers: 8192 per warp, 8 warps per SM -> 2 blocks of 128 threads = 8 of 64 warps.
        assertEquals(8 / 64.0, PtxasReport.h100Occupancy(e.get(0), 128), 1e-9);
        assertEquals(1.0, PtxasReport.h100Occupancy(e.get(1), 256), 1e-9);
    }

    @Test void noKernelSpillsWithoutANamedReason() throws Exception {
        List<PtxasReport.Entry> entries = PtxasReport.readAll();
        Assumptions.assumeFalse(CudaProbe.fatbinsInJar().isEmpty(),
                "SKIPPED: no fatbins in this build (no nvcc), so no ptxas report to check");
        assertFalse(entries.isEmpty(), "fatbins are in the jar but no ptxas report parsed");
        for (PtxasReport.Entry e : entries) {
            if (!e.spills()) continue;
            String source = Files.readString(Path.of("../kernels", e.fatbin() + ".cu"));
            assertTrue(source.contains("// spills (" + e.kernel() + "):"),
                    e.kernel() + " spills " + e.spillStores() + "/" + e.spillLoads()
                    + " bytes on " + e.arch() + " and kernels/" + e.fatbin() + ".cu gives no '// spills (" + e.kernel()
                    + "): <reason>' comment");
        }
    }
}
