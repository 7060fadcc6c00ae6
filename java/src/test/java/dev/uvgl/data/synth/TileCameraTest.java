package dev.uvgl.data.synth;

import dev.uvgl.data.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TileCameraTest {
    /**
     * A tile whose colour encodes position: red grows east, green
     * grows south, so a view's geometry can be read off its pixels.
     */
    private static RgbImage gradientTile(int side) {
        float[] d = new float[side * side * 3];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                d[(y * side + x) * 3] = Math.round(255.0 * x / (side - 1));
                d[(y * side + x) * 3 + 1] = Math.round(255.0 * y / (side - 1));
                d[(y * side + x) * 3 + 2] = 100;
            }
        return new RgbImage(side, side, d);
    }

    @Test void viewsArePhotoLikeAndReproducible() {
        RgbImage tile = gradientTile(96);
        for (double share : new double[] {0, 1}) {
            TileCamera cam = new TileCamera(150, share);
            RgbImage a = cam.view(tile, 300, 48, new SplittableRandom(7)),
                    b = cam.view(tile, 300, 48, new SplittableRandom(7));
            assertEquals(48, a.width());
            assertEquals(48, a.height());
            assertArrayEquals(a.data(), b.data(), "same stream, same view");
            for (float v : a.data())
                assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "whole 8-bit values, got " + v);
            RgbImage c = cam.view(tile, 300, 48, new SplittableRandom(8));
            assertTrue(!java.util.Arrays.equals(a.data(), c.data()), "another stream gives another view");
        }
    }

    @Test void nadirViewsStayOnTheTileCentreAndSpanTheViewGround() {
        RgbImage tile = gradientTile(128);
        TileCamera cam = new TileCamera(150, 0);
        for (int s = 0; s < 20; s++) {
            RgbImage v = cam.view(tile, 300, 32, new SplittableRandom(s));
            // The centre pixel shows ground within the 12 m jitter (plus
            // a pixel) of the tile's centre: red and green near 127.5.
            float r = v.get(16, 16, 0), g = v.get(16, 16, 1);
            double metresPerLevel = 300.0 / 255;
            assertTrue(Math.abs(r - 127.5) * metresPerLevel < 12 + 6 && Math.abs(g - 127.5) * metresPerLevel < 12 + 6,
                    "centre at " + r + ", " + g);
            // Corner to corner the view spans 150 m / zoom diagonally,
            // zoom in [0.6, 1.6]: between 66 and 354 m of ground.
            double dr = v.get(31, 31, 0) - v.get(0, 0, 0), dg = v.get(31, 31, 1) - v.get(0, 0, 1);
            double metres = Math.hypot(dr, dg) * metresPerLevel * 32 / 31;
            assertTrue(metres > 150 / 1.6 * Math.sqrt(2) * 0.85 && metres < 150 / 0.6 * Math.sqrt(2) * 1.15,
                    "diagonal " + metres + " m");
        }
    }

    /**
     * At strength 0 the drone's camera is the nadir crop (north-up,
     * the view span wide); at 1 it is the drone's oblique pose.
     */
    @Test void obliqueViewsEaseIntoTheNadirViewAtStrengthZero() {
        RgbImage tile = gradientTile(128);
        double zero = 0, full = 0;
        for (int s = 0; s < 10; s++) {
            RgbImage nadir = new TileCamera(150, 0).view(tile, 300, 32, new SplittableRandom(s), 0);
            zero += meanAbsDiff(nadir, new TileCamera(150, 1).view(tile, 300, 32, new SplittableRandom(s), 0));
            full += meanAbsDiff(nadir, new TileCamera(150, 1).view(tile, 300, 32, new SplittableRandom(s), 1));
        }
        // The gradient changes ~8 levels per pixel; haze at the nadir distance (7% towards the sky) and the 89 degree
        // perspective leave a few levels; a turned, tilted, zoomed view differs by tens.
        assertTrue(zero / 10 < 12, "oblique at strength 0 differs from nadir by " + zero / 10);
        assertTrue(full / 10 > 3 * (zero / 10), "oblique at strength 1 differs by only " + full / 10);
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        double d = 0;
        for (int i = 0; i < a.data().length; i++) d += Math.abs(a.data()[i] - b.data()[i]);
        return d / a.data().length;
    }

    @Test void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TileCamera(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new TileCamera(150, 1.5));
        assertThrows(IllegalArgumentException.class, () ->
                new TileCamera(150, 0.5).view(new RgbImage(4, 2, new float[24]), 300, 8, new SplittableRandom(1)));
    }
}
