package dev.uvgl.dmnil;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's config table is the config itself: a key added or a default changed without the README fails here. */
class ReadmeConfigTableTest {
    @Test void readmeHoldsTheGeneratedTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(DmnilConfig.markdownTable()),
                "README.md's config table differs from DmnilConfig.markdownTable(); paste the new one");
    }
}
