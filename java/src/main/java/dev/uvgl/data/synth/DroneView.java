package dev.uvgl.data.synth;

import java.util.SplittableRandom;

/**
 * An oblique perspective photo of a place from a drone orbiting it, as University-1652's drone
 * flights are: the camera sits at a random bearing and distance, looks at (a jittered point near)
 * the place with a depression angle between 38 and 72 degrees, with a little roll. Each pixel's ray
 * is cut with the ground plane and the map is sampled with the ray's footprint; distance adds haze.
 */
final class DroneView {
    static final double FOV = Math.toRadians(50);

    private DroneView() {}

    /**
     * Where the camera is: bearing from the target, distance (m),
     * depression angle and roll (radians), the point it looks at.
     */
    record Pose(double bearing, double distance, double elevation, double roll, double tx, double ty) {
        /**
         * Eased towards a camera straight above the place (strength 0) from this pose (strength 1), for a curriculum:
         * the depression angle, roll and aim point linearly, the bearing towards north-up (the image's top is +y) and
         * the distance log-linearly towards `nadirDistance`, so that at strength 0 an oblique view is the north-up
         * nadir view of the same ground and at 1 it is this pose. Easing only the tilt kept the bearing's full turn
         * and the distance's 2.9x zoom at strength 0, and a 675-tile classifier stayed at chance for 400 steps.
         */
        Pose towardsNadir(double strength, double px, double py, double nadirDistance) {
            if (strength == 1) return this;
            double nadir = Math.toRadians(89), northUp = -Math.PI / 2;
            double turn = Math.IEEEremainder(bearing - northUp, 2 * Math.PI);
            return new Pose(northUp + strength * turn, nadirDistance * Math.pow(distance / nadirDistance, strength),
                    nadir - strength * (nadir - Math.min(nadir, elevation)), strength * roll, px + strength * (tx - px),
                    py + strength * (ty - py));
        }
    }

    /** The camera distance straight above the ground whose square footprint is `spanMetres` wide. */
    static double nadirDistance(double spanMetres) { return spanMetres / (2 * Math.tan(FOV / 2)); }

    /** A pose as synth draws it for the place at (px, py). */
    static Pose drawPose(double px, double py, SplittableRandom rnd) {
        double bearing = rnd.nextDouble(2 * Math.PI);
        double distance = rnd.nextDouble(70, 200);
        double elevation = Math.toRadians(rnd.nextDouble(38, 72));
        double roll = Math.toRadians(rnd.nextDouble(-6, 6));
        return new Pose(bearing, distance, elevation, roll, px + rnd.nextDouble(-12, 12), py + rnd.nextDouble(-12, 12));
    }

    static float[] render(Orthomosaic map, double px, double py, int size, SplittableRandom rnd) {
        return render(map, drawPose(px, py, rnd), size);
    }

    static float[] render(Orthomosaic map, Pose pose, int size) {
        double bearing = pose.bearing(), distance = pose.distance(), elevation = pose.elevation(), roll = pose.roll();
        double tx = pose.tx(), ty = pose.ty();
        double cx = tx + distance * Math.cos(elevation) * Math.cos(bearing);
        double cy = ty + distance * Math.cos(elevation) * Math.sin(bearing);
        double cz = distance * Math.sin(elevation);
        double[] f = normalise(tx - cx, ty - cy, -cz);
        double[] right = normalise(f[1], -f[0], 0); // forward x up(0,0,1)
        double[] up = cross(right, f);
        double cr = Math.cos(roll), sr = Math.sin(roll);
        double[] r2 = {right[0] * cr + up[0] * sr, right[1] * cr + up[1] * sr, right[2] * cr + up[2] * sr};
        double[] u2 = {up[0] * cr - right[0] * sr, up[1] * cr - right[1] * sr, up[2] * cr - right[2] * sr};
        double half = Math.tan(FOV / 2), pixelAngle = 2 * half / size;
        float[] sky = {196, 206, 218};
        float[] out = new float[size * size * 3];
        float[] texel = new float[3];
        for (int r = 0; r < size; r++) {
            double v = (1 - 2 * (r + 0.5) / size) * half;
            for (int c = 0; c < size; c++) {
                double u = (2 * (c + 0.5) / size - 1) * half;
                double dx = f[0] + u * r2[0] + v * u2[0], dy = f[1] + u * r2[1] + v * u2[1],
                        dz = f[2] + u * r2[2] + v * u2[2];
                double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
                int o = (r * size + c) * 3;
                if (dz / len > -0.02) {
                    System.arraycopy(sky, 0, out, o, 3);
                    continue;
                }
                double t = -cz / dz;
                double range = t * len, cosIncidence = -dz / len;
                double footprint = range * pixelAngle / Math.sqrt(cosIncidence);
                double[] hit = march(map, cx, cy, cz, dx, dy, dz, t);
                if (hit != null) {
                    t = hit[0];
                    range = t * len;
                    map.sample(cx + t * dx, cy + t * dy, footprint, texel);
                    if (hit[1] > 0) facade(texel, cx + t * dx, cy + t * dy, cz + t * dz);
                } else {
                    map.sample(cx + t * dx, cy + t * dy, footprint, texel);
                }
                double haze = 1 - Math.exp(-range / 2200);
                for (int ch = 0; ch < 3; ch++) out[o + ch] = (float) (texel[ch] + (sky[ch] - texel[ch]) * haze);
            }
        }
        return out;
    }

    /**
     * Walks the ray through the band of heights where buildings stand; returns {t, 1 if a wall else 0}
     * at the first structure it meets, or null when it reaches the ground. Strides 2 m where the
     * block bound says nothing is tall enough, 0.4 m near buildings.
     */
    private static double[] march(Orthomosaic map, double cx, double cy, double cz, double dx, double dy, double dz,
            double tGround) {
        double top = map.maxHeight();
        if (top <= 0) return null;
        double hs = Math.hypot(dx, dy);
        if (hs < 1e-9) return null;
        double t = Math.max(0, (top - cz) / dz), fine = 0.4 / hs, coarse = 2.0 / hs;
        double lastStep = 0;
        while (t < tGround) {
            double x = cx + t * dx, y = cy + t * dy, z = cz + t * dz;
            if (map.heightBoundAt(x, y) < z) {
                t += coarse;
                lastStep = coarse;
                continue;
            }
            double h = map.heightAt(x, y);
            if (h >= z) return new double[] {t, h - z < -dz * lastStep + 1e-9 && lastStep > 0 && h - z < 0.5 ? 0 : 1};
            t += fine;
            lastStep = fine;
        }
        return null;
    }

    /** A wall: the roof's colour towards a plaster grey, in shade, with a grid of darker windows (floors every 3 m). */
    private static void facade(float[] texel, double x, double y, double z) {
        boolean window = (z % 3.0) > 1.0 && (z % 3.0) < 2.2 && ((x + y) * 0.7 % 2.4 + 2.4) % 2.4 > 1.0 && z > 1.5;
        float[] plaster = {176, 170, 160};
        for (int c = 0; c < 3; c++) {
            float v = 0.45f * texel[c] + 0.55f * plaster[c];
            texel[c] = window ? v * 0.38f + 12 : v * 0.78f;
        }
    }

    private static double[] normalise(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
