package dev.uvgl.data.synth;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;

/**
 * A coarse grid of map cells already taken by water, roads, lots or buildings, so later objects do not overlap them.
 */
final class Occupancy {
    private final int cell, cols, rows;
    private final boolean[] taken;

    Occupancy(int width, int height, int cellPixels) {
        cell = cellPixels;
        cols = width / cell + 1;
        rows = height / cell + 1;
        taken = new boolean[cols * rows];
    }

    boolean isMarked(double x, double y) {
        int cx = (int) (x / cell), cy = (int) (y / cell);
        return cx < 0 || cy < 0 || cx >= cols || cy >= rows || taken[cy * cols + cx];
    }

    /**
     * Marks every cell within width/2 of the path, walking it in
     * steps of one cell (a stroked outline would be far slower).
     */
    void markStroke(Shape path, double width) {
        double[] pt = new double[6];
        double px = 0, py = 0, r = width / 2;
        for (PathIterator it = path.getPathIterator(null, 1.0); !it.isDone(); it.next()) {
            int type = it.currentSegment(pt);
            if (type == PathIterator.SEG_LINETO) {
                double len = Math.hypot(pt[0] - px, pt[1] - py);
                int steps = Math.max(1, (int) Math.ceil(len / cell));
                for (int s = 0; s <= steps; s++) disc(px + (pt[0] - px) * s / steps, py + (pt[1] - py) * s / steps, r);
            }
            px = pt[0];
            py = pt[1];
        }
    }

    private void disc(double x, double y, double r) {
        int y0 = Math.max(0, (int) ((y - r) / cell)), y1 = Math.min(rows - 1, (int) ((y + r) / cell));
        int x0 = Math.max(0, (int) ((x - r) / cell)), x1 = Math.min(cols - 1, (int) ((x + r) / cell));
        for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
                if (Math.hypot((cx + 0.5) * cell - x, (cy + 0.5) * cell - y) <= r + cell * 0.7)
                    taken[cy * cols + cx] = true;
    }

    void markRect(double x, double y, double w, double h, double angle) { mark(rect(x, y, w, h, angle)); }

    boolean freeRect(double x, double y, double w, double h, double angle) {
        Shape s = rect(x, y, w, h, angle);
        Rectangle2D b = s.getBounds2D();
        for (int cy = (int) (b.getMinY() / cell); cy <= (int) (b.getMaxY() / cell); cy++)
            for (int cx = (int) (b.getMinX() / cell); cx <= (int) (b.getMaxX() / cell); cx++)
                if (s.intersects(cx * cell, cy * cell, cell, cell) && isMarked(cx * cell + 0.5, cy * cell + 0.5))
                    return false;
        return true;
    }

    private static Shape rect(double x, double y, double w, double h, double angle) {
        AffineTransform t = new AffineTransform();
        t.translate(x, y);
        t.rotate(angle);
        return t.createTransformedShape(new Rectangle2D.Double(-w / 2, -h / 2, w, h));
    }

    private void mark(Shape s) {
        Rectangle2D b = s.getBounds2D();
        int y0 = Math.max(0, (int) (b.getMinY() / cell)), y1 = Math.min(rows - 1, (int) (b.getMaxY() / cell));
        int x0 = Math.max(0, (int) (b.getMinX() / cell)), x1 = Math.min(cols - 1, (int) (b.getMaxX() / cell));
        for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
                if (s.intersects(cx * cell, cy * cell, cell, cell)) taken[cy * cols + cx] = true;
    }
}
