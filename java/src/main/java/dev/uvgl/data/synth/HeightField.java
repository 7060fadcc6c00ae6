package dev.uvgl.data.synth;

/**
 * Building heights over the map (0.25 m units in a byte per map pixel, 0 = ground), plus the
 * maximum over 8 x 8 pixel blocks so a ray in open country can stride instead of creeping.
 */
final class HeightField {
    static final double UNIT = 0.25;
    static final int BLOCK = 8;

    private final int width, height, bcols;
    private final byte[] h;
    private final byte[] blockMax;
    private double max;

    HeightField(int width, int height) {
        this.width = width;
        this.height = height;
        this.h = new byte[width * height];
        this.bcols = width / BLOCK + 1;
        this.blockMax = new byte[bcols * (height / BLOCK + 1)];
    }

    /**
     * Raises the pixels inside a rectangle centred at (cx, cy) map pixels, w x l pixels, rotated by angle, to `metres`.
     */
    void extrude(double cx, double cy, double w, double l, double angle, double metres) {
        int v = (int) Math.min(255, Math.round(metres / UNIT));
        double c = Math.cos(angle), s = Math.sin(angle), r = Math.hypot(w, l) / 2 + 1;
        for (int y = (int) Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
            for (int x = (int) Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double u = dx * c + dy * s, t = -dx * s + dy * c;
                if (Math.abs(u) <= w / 2 && Math.abs(t) <= l / 2) {
                    h[y * width + x] = (byte) v;
                    int b = (y / BLOCK) * bcols + x / BLOCK;
                    if ((blockMax[b] & 255) < v) blockMax[b] = (byte) v;
                }
            }
        }
        max = Math.max(max, v * UNIT);
    }

    double maxMetres() { return max; }

    /** Height in metres at map pixel (px, py); 0 outside the map. */
    double at(int px, int py) {
        if (px < 0 || py < 0 || px >= width || py >= height) return 0;
        return (h[py * width + px] & 255) * UNIT;
    }

    double blockMaxAt(int px, int py) {
        if (px < 0 || py < 0 || px >= width || py >= height) return 0;
        return (blockMax[(py / BLOCK) * bcols + px / BLOCK] & 255) * UNIT;
    }
}
