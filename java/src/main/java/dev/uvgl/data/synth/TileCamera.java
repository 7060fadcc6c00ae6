package dev.uvgl.data.synth;

import dev.uvgl.data.image.RgbImage;

import java.util.SplittableRandom;

/**
 * Views of one satellite tile as a camera over the flat ground it shows would take them: the augmentation
 * that separates a drone photo from its tile, applied to the tile alone (pretraining never pairs a tile
 * with a drone photo). Oblique views use the drone's own camera (orbit 70-200 m, 38-72 degrees down, any
 * heading, a little roll, 50 degree field of view) and its photometry (exposure, white balance, clouds,
 * occluders, blur, noise); nadir views turn the tile by any angle and zoom it by 0.6-1.6. The tile must
 * cover more ground than a view (synth --tile-span): beyond its edge the ground repeats its border.
 */
public final class TileCamera {
    /** Zoom of the nadir views, relative to a tile of {@link SynthOptions#DEFAULT_TILE_SPAN} metres. */
    public static final double MIN_ZOOM = 0.6, MAX_ZOOM = 1.6;

    private final double viewSpanMetres;
    private final double obliqueShare;

    /**
     * @param viewSpanMetres the ground a nadir view at zoom 1 shows (the evaluated world's tile span)
     * @param obliqueShare   the share of views taken obliquely; the rest are nadir
     */
    public TileCamera(double viewSpanMetres, double obliqueShare) {
        if (!(viewSpanMetres > 0)) throw new IllegalArgumentException("view span " + viewSpanMetres + " must be > 0");
        if (!(obliqueShare >= 0 && obliqueShare <= 1))
            throw new IllegalArgumentException("oblique share " + obliqueShare + " must lie in [0, 1]");
        this.viewSpanMetres = viewSpanMetres;
        this.obliqueShare = obliqueShare;
    }

    /**
     * One view, size x size pixels, of a square north-up tile covering `tileSpanMetres` around its centre.
     * Values are whole numbers 0..255, as a decoded photo's are.
     */
    public RgbImage view(RgbImage tile, double tileSpanMetres, int size, SplittableRandom rnd) {
        return view(tile, tileSpanMetres, size, rnd, 1);
    }

    /**
     * As above at a strength in [0, 1], for a curriculum: the nadir turn (up to +-180 degrees times the strength),
     * the zoom's log-range and the centre jitter scale with it, and an oblique camera eases from the north-up nadir
     * view (strength 0) to the drone's pose (bearing, distance, depression angle, roll), with the photometry's
     * deviations scaled alike. The random
     * numbers drawn do not depend on the strength.
     */
    public RgbImage view(RgbImage tile, double tileSpanMetres, int size, SplittableRandom rnd, double strength) {
        if (tile.width() != tile.height())
            throw new IllegalArgumentException("a tile is square, got " + tile.width() + "x" + tile.height());
        if (!(strength >= 0 && strength <= 1))
            throw new IllegalArgumentException("strength " + strength + " must lie in [0, 1]");
        Orthomosaic ground = flatGround(tile, tileSpanMetres);
        double c = tileSpanMetres / 2;
        float[] out;
        if (rnd.nextDouble() < obliqueShare) {
            out = DroneView.render(ground, DroneView.drawPose(c, c, rnd)
                    .towardsNadir(strength, c, c, DroneView.nadirDistance(viewSpanMetres)), size);
            Photometry.apply(out, size, rnd, strength);
        } else {
            out = nadir(ground, c, c, size, rnd, strength);
        }
        for (int i = 0; i < out.length; i++) out[i] = Math.round(Math.max(0, Math.min(255, out[i])));
        return new RgbImage(size, size, out);
    }

    /**
     * A crop turned by up to +-180 degrees and zoomed by MIN_ZOOM..MAX_ZOOM
     * (log-uniform), its centre jittered by up to 12 m, all times the strength.
     */
    private float[] nadir(Orthomosaic ground, double cx, double cy, int size, SplittableRandom rnd, double strength) {
        double angle = strength * rnd.nextDouble(-Math.PI, Math.PI);
        double zoom = Math.exp(strength * rnd.nextDouble(Math.log(MIN_ZOOM), Math.log(MAX_ZOOM)));
        double tx = cx + strength * rnd.nextDouble(-12, 12), ty = cy + strength * rnd.nextDouble(-12, 12);
        double span = viewSpanMetres / zoom, step = span / size, ca = Math.cos(angle), sa = Math.sin(angle);
        float[] out = new float[size * size * 3], px = new float[3];
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                double u = -span / 2 + (col + 0.5) * step, v = span / 2 - (r + 0.5) * step;
                ground.sample(tx + u * ca - v * sa, ty + u * sa + v * ca, step, px);
                System.arraycopy(px, 0, out, (r * size + col) * 3, 3);
            }
        }
        return out;
    }

    /** The tile as a map with no heights, so the drone camera sees flat ground. */
    private static Orthomosaic flatGround(RgbImage tile, double spanMetres) {
        int w = tile.width();
        float[] d = tile.data();
        int[] rgb = new int[w * w];
        for (int i = 0; i < rgb.length; i++)
            rgb[i] = (MapPainter.clamp(d[3 * i]) << 16) | (MapPainter.clamp(d[3 * i + 1]) << 8)
                    | MapPainter.clamp(d[3 * i + 2]);
        return new Orthomosaic(rgb, w, w, spanMetres / w, new HeightField(w, w));
    }
}
