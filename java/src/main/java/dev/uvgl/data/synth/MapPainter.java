package dev.uvgl.data.synth;

import dev.uvgl.backend.cpu.Parallel;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Paints the procedural orthomosaic: land use from low-frequency noise (fields, forest, town),
 * field parcels with crop rows, then rivers, a road network, parking lots and sports grounds,
 * buildings with gable or flat roofs and cast shadows, trees, and fine texture. Painting works in
 * map pixels (row 0 north); the sun is in the north-west, so shadows fall to the south-east.
 */
final class MapPainter {
    private static final int[][] CROPS = {
        {96, 128, 58}, {128, 146, 70}, {176, 162, 96}, {150, 120, 84}, {190, 178, 128},
        {110, 112, 60}, {148, 160, 104}, {136, 96, 70}, {84, 110, 52}, {168, 150, 110}};
    private static final int[][] ROOFS = {
        {150, 72, 56}, {172, 90, 66}, {120, 120, 124}, {84, 86, 92}, {200, 198, 190},
        {112, 80, 64}, {96, 110, 124}, {180, 170, 150}, {60, 62, 66}, {140, 104, 90}};

    private final long seed;
    private final double mpp;
    private final int width, height;
    private final ValueNoise urban, forest, detail, fine;
    private final double gridAngle;
    private final LandUse landUse;
    private HeightField heights;

    MapPainter(long seed, double widthMetres, double heightMetres, double metresPerPixel) {
        this.seed = seed;
        this.mpp = metresPerPixel;
        this.width = (int) Math.ceil(widthMetres / mpp);
        this.height = (int) Math.ceil(heightMetres / mpp);
        urban = new ValueNoise(seed * 31 + 1);
        forest = new ValueNoise(seed * 31 + 2);
        detail = new ValueNoise(seed * 31 + 3);
        fine = new ValueNoise(seed * 31 + 4);
        gridAngle = Streams.of(seed, 77).nextDouble(-0.5, 0.5);
        landUse = new LandUse(urban, forest, width, height, mpp);
    }

    Orthomosaic paint() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        paintGround(rgb);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        Occupancy occupied = new Occupancy(width, height, 4);
        heights = new HeightField(width, height);
        paintRivers(g, occupied);
        paintRoads(g, occupied);
        paintLots(g, occupied);
        paintBuildings(g, occupied);
        paintTrees(g, occupied);
        g.dispose();
        addGrain(rgb);
        return new Orthomosaic(rgb, width, height, mpp, heights);
    }

    /** How built-up the map painted from `seed` is at (x east, y north) metres; the same field the painter uses. */
    static double urbanness(long seed, double sideMetres, double x, double y) {
        return new ValueNoise(seed * 31 + 1).fbm(x / 900, (sideMetres - y) / 900, 3);
    }

    // Land-use weights in [0,1] at a map pixel.
    private double urbanness(double px, double py) { return landUse.urban(px, py); }

    private double forestness(double px, double py) { return landUse.forest(px, py); }

    private void paintGround(int[] rgb) {
        double cell = 110 / mpp;
        Parallel.range(height, 16, (lo, hi) -> {
            for (int y = lo; y < hi; y++) {
                for (int x = 0; x < width; x++) {
                    double u = urbanness(x, y), f = forestness(x, y);
                    // Field parcels: Voronoi cells of jittered lattice points, stretched along the grid angle.
                    double rx = (x * Math.cos(gridAngle) + y * Math.sin(gridAngle)) / cell;
                    double ry = (-x * Math.sin(gridAngle) + y * Math.cos(gridAngle)) / (cell * 0.6);
                    long best = 0;
                    double d1 = 1e9, d2 = 1e9;
                    int cx = (int) Math.floor(rx), cy = (int) Math.floor(ry);
                    for (int j = -1; j <= 1; j++) {
                        for (int i = -1; i <= 1; i++) {
                            long h = Streams.mix(seed ^ ((cx + i) * 0x9E3779B97F4A7C15L)
                                    ^ ((cy + j) * 0x632BE59BD9B4E019L));
                            double sx = cx + i + 0.15 + 0.7 * ((h & 0xffff) / 65536.0);
                            double sy = cy + j + 0.15 + 0.7 * (((h >>> 16) & 0xffff) / 65536.0);
                            double d = (sx - rx) * (sx - rx) + (sy - ry) * (sy - ry);
                            if (d < d1) { d2 = d1; d1 = d; best = h; } else if (d < d2) d2 = d;
                        }
                    }
                    int[] crop = CROPS[(int) ((best >>> 32) % CROPS.length)];
                    double rowAngle = ((best >>> 40) & 1) == 0 ? 0 : Math.PI / 2;
                    double along = rowAngle == 0 ? rx * cell : ry * cell * 0.6;
                    double rows = 1 + 0.07 * Math.sin(along * mpp * 2 * Math.PI / (2.5 + ((best >>> 44) & 3)));
                    double r = crop[0] * rows, gr = crop[1] * rows, b = crop[2] * rows;
                    double edge = Math.sqrt(d2) - Math.sqrt(d1);
                    if (edge < 0.05) { r *= 0.72; gr *= 0.8; b *= 0.68; } // hedgerows and ditches between parcels
                    double patch = detail.fbm(x * mpp / 40, y * mpp / 40, 3);
                    r *= 0.85 + 0.3 * patch; gr *= 0.85 + 0.3 * patch; b *= 0.85 + 0.3 * patch;
                    double tForest = smoothstep(0.66, 0.72, f);
                    double canopy = 0.7 + 0.6 * fine.fbm(x * mpp / 6, y * mpp / 6, 2);
                    r = mix(r, 52 * canopy, tForest);
                    gr = mix(gr, 76 * canopy, tForest);
                    b = mix(b, 40 * canopy, tForest);
                    double tTown = smoothstep(0.42, 0.48, u);
                    double paved = 0.85 + 0.3 * patch;
                    double lawn = detail.at(x * mpp / 25, y * mpp / 25);
                    double tr = lawn > 0.55 ? 104 : 168, tg = lawn > 0.55 ? 134 : 164, tb = lawn > 0.55 ? 76 : 152;
                    r = mix(r, tr * paved, tTown); gr = mix(gr, tg * paved, tTown); b = mix(b, tb * paved, tTown);
                    rgb[y * width + x] = pack(r, gr, b);
                }
            }
        });
    }

    private void paintRivers(Graphics2D g, Occupancy occupied) {
        SplittableRandom rnd = Streams.of(seed, 11);
        int rivers = 1 + (int) (width * mpp / 2500);
        for (int k = 0; k < rivers; k++) {
            Path2D.Double path = wanderingLine(rnd, 0.25);
            float w = (float) (rnd.nextDouble(12, 26) / mpp);
            g.setStroke(new BasicStroke(w + (float) (8 / mpp), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(122, 118, 84));
            g.draw(path);
            g.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(52, 74, 80));
            g.draw(path);
            g.setStroke(new BasicStroke(w * 0.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(40, 62, 72));
            g.draw(path);
            occupied.markStroke(path, w + 10 / mpp);
        }
    }

    /** A curve entering at one edge and leaving at the opposite one, with a slowly drifting heading. */
    private Path2D.Double wanderingLine(SplittableRandom rnd, double wiggle) {
        boolean horizontal = rnd.nextBoolean();
        double x = horizontal ? -50 : rnd.nextDouble(0.2, 0.8) * width;
        double y = horizontal ? rnd.nextDouble(0.2, 0.8) * height : -50;
        double heading = horizontal ? 0 : Math.PI / 2, turn = 0;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, y);
        double step = 20 / mpp;
        for (int i = 0; i < 100000 && x > -100 && y > -100 && x < width + 100 && y < height + 100; i++) {
            turn = 0.9 * turn + rnd.nextDouble(-wiggle, wiggle) * 0.1;
            heading += turn;
            double base = horizontal ? 0 : Math.PI / 2;
            heading = base + Math.max(-1.0, Math.min(1.0, heading - base));
            x += Math.cos(heading) * step;
            y += Math.sin(heading) * step;
            p.lineTo(x, y);
        }
        return p;
    }

    private void paintRoads(Graphics2D g, Occupancy occupied) {
        SplittableRandom rnd = Streams.of(seed, 12);
        double spacing = 260 / mpp;
        int nx = (int) (width / spacing) + 3, ny = (int) (height / spacing) + 3;
        double[][] gx = new double[ny][nx], gy = new double[ny][nx];
        double c = Math.cos(gridAngle), s = Math.sin(gridAngle);
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double lx = (i - 1) * spacing + rnd.nextDouble(-0.2, 0.2) * spacing - width * 0.1;
                double ly = (j - 1) * spacing + rnd.nextDouble(-0.2, 0.2) * spacing - height * 0.1;
                gx[j][i] = width / 2.0 + (lx - width / 2.0) * c - (ly - height / 2.0) * s;
                gy[j][i] = height / 2.0 + (lx - width / 2.0) * s + (ly - height / 2.0) * c;
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            SplittableRandom edges = Streams.of(seed, 13);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    for (int dir = 0; dir < 2; dir++) {
                        int i2 = i + (dir == 0 ? 1 : 0), j2 = j + (dir == 1 ? 1 : 0);
                        double keep = edges.nextDouble(), kind = edges.nextDouble();
                        if (i2 >= nx || j2 >= ny) continue;
                        double mx = (gx[j][i] + gx[j2][i2]) / 2, my = (gy[j][i] + gy[j2][i2]) / 2;
                        double u = urbanness(mx, my);
                        boolean town = u > 0.42;
                        if (keep > (town ? 0.95 : 0.45)) continue;
                        Path2D.Double seg = new Path2D.Double();
                        seg.moveTo(gx[j][i], gy[j][i]);
                        seg.quadTo(mx + (kind - 0.5) * spacing * 0.15, my - (kind - 0.5) * spacing * 0.15, gx[j2][i2],
                                gy[j2][i2]);
                        float w = (float) ((town ? 9 + 5 * kind : 4 + 3 * kind) / mpp);
                        if (pass == 0) {
                            g.setStroke(new BasicStroke(w + (float) (3 / mpp), BasicStroke.CAP_ROUND,
                                    BasicStroke.JOIN_ROUND));
                            g.setColor(town ? new Color(150, 148, 140) : new Color(120, 110, 84));
                            g.draw(seg);
                        } else {
                            g.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                            g.setColor(town ? new Color(74, 74, 78) : new Color(164, 146, 112));
                            g.draw(seg);
                            if (town && w * mpp > 10) {
                                g.setStroke(new BasicStroke((float) (0.4 / mpp), BasicStroke.CAP_BUTT,
                                        BasicStroke.JOIN_ROUND,
                                        1f, new float[] {(float) (3 / mpp), (float) (4 / mpp)}, 0f));
                                g.setColor(new Color(220, 220, 210));
                                g.draw(seg);
                            }
                            occupied.markStroke(seg, w + 4 / mpp);
                        }
                    }
                }
            }
        }
    }

    private void paintLots(Graphics2D g, Occupancy occupied) {
        SplittableRandom rnd = Streams.of(seed, 14);
        int tries = (int) (width * height * mpp * mpp / 40000);
        for (int t = 0; t < tries; t++) {
            double x = rnd.nextDouble(width), y = rnd.nextDouble(height);
            double kind = rnd.nextDouble(), angle = gridAngle + (rnd.nextBoolean() ? 0 : Math.PI / 2);
            if (urbanness(x, y) < 0.44 || kind > 0.5) continue;
            boolean sports = kind < 0.12;
            double w = (sports ? 110 : rnd.nextDouble(30, 60)) / mpp, h = (sports ? 70 : rnd.nextDouble(18, 36)) / mpp;
            if (!occupied.freeRect(x, y, w, h, angle)) continue;
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            g.rotate(angle);
            if (sports) {
                g.setColor(new Color(164, 84, 66));
                g.fill(new java.awt.geom.RoundRectangle2D.Double(-w / 2, -h / 2, w, h, h, h));
                g.setColor(new Color(82, 140, 70));
                g.fill(new java.awt.geom.RoundRectangle2D.Double(-w / 2 + 8 / mpp, -h / 2 + 8 / mpp, w - 16 / mpp,
                        h - 16 / mpp, h - 16 / mpp, h - 16 / mpp));
                g.setColor(new Color(230, 230, 230));
                g.setStroke(new BasicStroke((float) (0.6 / mpp)));
                g.draw(new Rectangle2D.Double(-w / 2 + 22 / mpp, -h / 2 + 14 / mpp, w - 44 / mpp, h - 28 / mpp));
                g.draw(new java.awt.geom.Line2D.Double(0, -h / 2 + 14 / mpp, 0, h / 2 - 14 / mpp));
            } else {
                g.setColor(new Color(104, 104, 106));
                g.fill(new Rectangle2D.Double(-w / 2, -h / 2, w, h));
                double stall = 2.6 / mpp, depth = 5 / mpp;
                for (double sx = -w / 2 + stall; sx < w / 2 - stall; sx += stall) {
                    for (int row = 0; row < 2; row++) {
                        double sy = row == 0 ? -h / 2 : h / 2 - depth;
                        g.setColor(new Color(200, 200, 196));
                        g.fill(new Rectangle2D.Double(sx, sy, 0.15 / mpp, depth));
                        if (rnd.nextDouble() < 0.6) {
                            int[] col = ROOFS[rnd.nextInt(ROOFS.length)];
                            g.setColor(new Color(col[0], col[1], col[2]));
                            g.fill(new java.awt.geom.RoundRectangle2D.Double(sx + 0.4 / mpp, sy + 0.4 / mpp,
                                    stall - 0.8 / mpp, depth - 0.8 / mpp, 0.8 / mpp, 0.8 / mpp));
                        }
                    }
                }
            }
            g.setTransform(saved);
            occupied.markRect(x, y, w, h, angle);
        }
    }

    private void paintBuildings(Graphics2D g, Occupancy occupied) {
        SplittableRandom rnd = Streams.of(seed, 15);
        int tries = (int) (width * height * mpp * mpp / 180);
        for (int t = 0; t < tries; t++) {
            double x = rnd.nextDouble(width), y = rnd.nextDouble(height);
            double u = urbanness(x, y), pick = rnd.nextDouble();
            double density = u > 0.46 ? 0.9 : (u > 0.41 ? 0.25 : 0.012);
            double bw = rnd.nextDouble(8, u > 0.49 ? 34 : 18) / mpp, bh = rnd.nextDouble(7, 22) / mpp;
            double height3d = rnd.nextDouble(4, u > 0.51 ? 28 : 10);
            double angle = gridAngle + (rnd.nextBoolean() ? 0 : Math.PI / 2) + rnd.nextDouble(-0.05, 0.05);
            int[] roof = ROOFS[rnd.nextInt(ROOFS.length)];
            boolean gable = rnd.nextDouble() < (u > 0.51 ? 0.35 : 0.75);
            if (pick > density || forestness(x, y) > 0.68) continue;
            if (!occupied.freeRect(x, y, bw + 3 / mpp, bh + 3 / mpp, angle)) continue;
            occupied.markRect(x, y, bw + 3 / mpp, bh + 3 / mpp, angle);
            heights.extrude(x, y, bw, bh, angle, height3d);
            double shadow = height3d * 0.6 / mpp;
            AffineTransform saved = g.getTransform();
            // Shadow: the footprint swept towards the south-east, drawn under the roof.
            g.setColor(new Color(0, 0, 0, 110));
            for (int k = 1; k <= 4; k++) {
                g.setTransform(saved);
                g.translate(x + shadow * k / 4, y + shadow * k / 4);
                g.rotate(angle);
                g.fill(new Rectangle2D.Double(-bw / 2, -bh / 2, bw, bh));
            }
            g.setTransform(saved);
            g.translate(x, y);
            g.rotate(angle);
            Color base = new Color(roof[0], roof[1], roof[2]);
            if (gable) {
                g.setColor(scale(base, 1.08));
                g.fill(new Rectangle2D.Double(-bw / 2, -bh / 2, bw, bh / 2));
                g.setColor(scale(base, 0.72));
                g.fill(new Rectangle2D.Double(-bw / 2, 0, bw, bh / 2));
                g.setColor(scale(base, 0.55));
                g.setStroke(new BasicStroke((float) (0.35 / mpp)));
                g.draw(new java.awt.geom.Line2D.Double(-bw / 2, 0, bw / 2, 0));
            } else {
                g.setColor(scale(base, 0.8));
                g.fill(new Rectangle2D.Double(-bw / 2, -bh / 2, bw, bh));
                g.setColor(base);
                double rim = 0.8 / mpp;
                g.fill(new Rectangle2D.Double(-bw / 2 + rim, -bh / 2 + rim, bw - 2 * rim, bh - 2 * rim));
                int boxes = rnd.nextInt(4);
                for (int b = 0; b < boxes; b++) {
                    double ux = rnd.nextDouble(-0.35, 0.35) * bw, uy = rnd.nextDouble(-0.35, 0.35) * bh;
                    g.setColor(scale(base, 1.25));
                    g.fill(new Rectangle2D.Double(ux, uy, 2 / mpp, 2 / mpp));
                    g.setColor(scale(base, 0.5));
                    g.fill(new Rectangle2D.Double(ux + 2 / mpp, uy + 0.5 / mpp, 0.6 / mpp, 2 / mpp));
                }
            }
            g.setTransform(saved);
        }
    }

    private void paintTrees(Graphics2D g, Occupancy occupied) {
        SplittableRandom rnd = Streams.of(seed, 16);
        int tries = (int) (width * height * mpp * mpp / 30);
        for (int t = 0; t < tries; t++) {
            double x = rnd.nextDouble(width), y = rnd.nextDouble(height);
            double r = rnd.nextDouble(1.5, 4.5) / mpp, shade = rnd.nextDouble(0.75, 1.15), pick = rnd.nextDouble();
            double f = forestness(x, y), u = urbanness(x, y);
            double density = f > 0.68 ? 0.9 : (u > 0.44 ? 0.025 : 0.006);
            if (pick > density || occupied.isMarked(x, y)) continue;
            g.setColor(new Color(0, 0, 0, 90));
            g.fill(new java.awt.geom.Ellipse2D.Double(x - r + r * 0.8, y - r + r * 0.8, 2 * r, 2 * r));
            g.setColor(new Color(clamp(44 * shade), clamp(72 * shade), clamp(36 * shade)));
            g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            g.setColor(new Color(clamp(70 * shade), clamp(100 * shade), clamp(52 * shade)));
            g.fill(new java.awt.geom.Ellipse2D.Double(x - r * 0.7, y - r * 0.75, r, r));
        }
    }

    private void addGrain(int[] rgb) {
        Parallel.range(height, 32, (lo, hi) -> {
            for (int y = lo; y < hi; y++) {
                for (int x = 0; x < width; x++) {
                    long h = Streams.mix(seed * 7919 + (long) y * width + x);
                    double n = 1 + 0.10 * (fine.at(x * mpp / 1.5, y * mpp / 1.5) - 0.5)
                            + 0.06 * (((h & 1023) / 1023.0) - 0.5);
                    int p = rgb[y * width + x];
                    rgb[y * width + x] = pack(((p >> 16) & 255) * n, ((p >> 8) & 255) * n, (p & 255) * n);
                }
            }
        });
    }

    private static Color scale(Color c, double k) {
        return new Color(clamp(c.getRed() * k), clamp(c.getGreen() * k), clamp(c.getBlue() * k));
    }

    static int clamp(double v) { return v < 0 ? 0 : (v > 255 ? 255 : (int) Math.round(v)); }

    private static int pack(double r, double g, double b) { return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b); }

    private static double mix(double a, double b, double t) { return a + (b - a) * t; }

    private static double smoothstep(double a, double b, double v) {
        double t = Math.max(0, Math.min(1, (v - a) / (b - a)));
        return t * t * (3 - 2 * t);
    }
}
