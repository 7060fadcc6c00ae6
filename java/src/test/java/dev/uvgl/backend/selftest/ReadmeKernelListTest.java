package dev.uvgl.backend.selftest;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's kernel table names every kernel that has a self-test: a new kernel without its line fails here. */
class ReadmeKernelListTest {
    @Test void everyCheckedKernelIsListed() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (KernelCheck c : SelfTest.checks())
            assertTrue(readme.contains("| `" + c.kernel() + "` |"),
                    c.kernel() + " is missing from README.md's kernel table (precision and bound)");
    }
}
