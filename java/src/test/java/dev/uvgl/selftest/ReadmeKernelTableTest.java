package dev.uvgl.selftest;

import dev.uvgl.device.EmuDevice;
import dev.uvgl.device.EmuLibrary;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's kernel table is SelfTest.markdownTable of a full emulated run: every checked kernel has its row, and
 * kernel, precision, bound and measure are the checks' own, character for character. The measured column may differ
 * from this machine's measurement by 5% (OpenBLAS, which some CPU references use, picks its kernels per CPU model),
 * never more, and never beyond the bound. Regenerate with `java -jar engine.jar selftest --device emu --markdown`.
 */
class ReadmeKernelTableTest {
    @Test void readmeTableIsTheChecksTable() throws Exception {
        assertTrue(EmuLibrary.load().loaded(), "the emulated device must load in CI: " + EmuLibrary.load().detail());
        List<SelfTest.Verdict> verdicts = SelfTest.run(EmuDevice.open(EmuDevice.Config.defaults()), false,
                new PrintStream(OutputStream.nullOutputStream()));
        List<String> want = SelfTest.markdownTable(verdicts).lines().toList();
        List<String> readme = Files.readString(Path.of("..", "README.md")).lines().toList();
        int at = readme.indexOf(want.get(0));
        assertTrue(at >= 0, "README.md has no kernel table; paste:\n" + String.join("\n", want));
        List<String> got = readme.subList(at, Math.min(readme.size(), at + want.size()));
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i), g = i < got.size() ? got.get(i) : "";
            if (i < 2) { assertEquals(w, g, "README.md's kernel table header"); continue; }
            String fixed = w.substring(0, w.lastIndexOf(" | ")), kernel = w.split("`")[1];
            assertTrue(g.startsWith(fixed + " | "),
                    "README.md's row for " + kernel + " should read\n" + w + "\nnot\n" + g
                    + "\n(regenerate with selftest --device emu --markdown)");
            double measured = value(w), listed = value(g);
            assertTrue(Math.abs(measured - listed) <= 0.05 * Math.max(Math.abs(measured), 1e-30),
                    kernel + ": README lists " + listed + ", the emulator measured " + measured);
        }
        assertTrue(readme.size() == at + want.size() || !readme.get(at + want.size()).startsWith("| `"),
                "README.md's kernel table has rows for kernels without a check");
    }

    private static double value(String row) {
        String[] cells = row.split(" \\| ");
        return Double.parseDouble(cells[cells.length - 1].replace("|", "").trim());
    }
}
