package dev.uvgl.pretrain;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's pretraining table is the config itself, as the DMNIL one is. */
class ReadmePretrainTableTest {
    @Test void readmeHoldsTheGeneratedTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(PretrainConfig.markdownTable()),
                "README.md's pretraining table differs from PretrainConfig.markdownTable(); paste the new one");
    }
}
