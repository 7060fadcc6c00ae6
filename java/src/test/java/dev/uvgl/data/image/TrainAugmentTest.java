package dev.uvgl.data.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainAugmentTest {
    /** The pad scales with the size: the reference's 10 px at 384 px, 2 px at 64 px, 3 px at 128 px. */
    @Test void padScalesWithTheSize() {
        assertEquals(10, TrainAugment.padFor(384, 10));
        assertEquals(2, TrainAugment.padFor(64, 10));
        assertEquals(3, TrainAugment.padFor(128, 10));
        assertEquals(10, TrainAugment.padFor(64, 60));
        assertEquals(0, TrainAugment.padFor(64, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainAugment.padFor(64, -1));
    }

    /** A white image padded by p and cropped: the black border a crop can show is at most p pixels wide. */
    @Test void cropShiftIsBoundedByThePad() {
        RgbImage white = new RgbImage(32, 32, filled(32 * 32 * 3, 255));
        for (int pad : new int[] {0, 2, 5}) {
            TrainAugment a = new TrainAugment(32, false, 0, pad);
            int widest = 0;
            for (int s = 0; s < 40; s++) {
                RgbImage out = a.apply(white, new SplittableRandom(s));
                int black = 0;
                for (int x = 0; x < 32; x++) if (out.get(x, 16, 0) == 0) black++;
                widest = Math.max(widest, black);
            }
            assertTrue(widest <= pad, "pad " + pad + ": " + widest + " black columns");
            if (pad > 0) assertTrue(widest > 0, "pad " + pad + " never shifted the crop in 40 draws");
        }
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, v);
        return f;
    }
}
