package dev.uvgl.pretrain;

import java.io.IOException;
import java.nio.file.Path;

/** Where a pretraining run keeps its checkpoint, and the config saved in it (what --resume continues with). */
public final class PretrainCheckpointFiles {
    private PretrainCheckpointFiles() {}

    public static Path last(Path runDir) { return runDir.resolve("checkpoints").resolve("last.ckpt"); }

    public static PretrainConfig config(Path lastCheckpoint) throws IOException {
        return PretrainCheckpoint.config(lastCheckpoint);
    }
}
