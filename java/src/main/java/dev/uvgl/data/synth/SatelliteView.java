package dev.uvgl.data.synth;

/** The north-up nadir crop of the map centred on a point: what a satellite tile of a place shows. */
final class SatelliteView {
    private SatelliteView() {}

    /** A size x size RGB image (interleaved floats 0..255) covering span x span metres around (cx, cy). */
    static float[] render(Orthomosaic map, double cx, double cy, double span, int size) {
        float[] out = new float[size * size * 3];
        float[] px = new float[3];
        double step = span / size;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                map.sample(cx - span / 2 + (c + 0.5) * step, cy + span / 2 - (r + 0.5) * step, step, px);
                System.arraycopy(px, 0, out, (r * size + c) * 3, 3);
            }
        }
        return out;
    }
}
