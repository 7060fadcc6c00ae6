package dev.uvgl.dmnil.assoc;

import dev.uvgl.tensor.DType;
import org.junit.jupiter.api.Test;

import static dev.uvgl.dmnil.loss.DmnilFixtures.ints;
import static dev.uvgl.dmnil.loss.DmnilFixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Association against train.py's block re-stated in PyTorch (fixtures/dmnil/assoc_*), noise injected. */
class CrossViewAssociationGoldenTest {
    @Test void votesAndSmoothingEqualTheReference() {
        assertTrue(ints("assoc_vote_ties")[0] > 0, "the fixture should exercise the vote's tie rule");
        for (DType t : DType.values()) for (int tile : new int[] {5, 256}) {
            var labels = new CrossViewAssociation(10, 5, tile)
                    .associate(tensor("assoc_fs", t), tensor("assoc_fd", t), ints("assoc_ld"),
                    tensor("assoc_fs_noisy", t), tensor("assoc_fd_noisy", t));
            assertArrayEquals(ints("assoc_voted"), labels.voted(), t + " tile " + tile);
            assertArrayEquals(ints("assoc_smoothed"), labels.smoothed(), t + " tile " + tile);
        }
    }
}
