package dev.uvgl.eval;

/** Drone -> satellite (queries test/query_drone, gallery test/gallery_satellite) and the reverse. */
public enum Direction {
    D2S("drone->satellite"), S2D("satellite->drone");

    private final String label;

    Direction(String label) { this.label = label; }

    public String label() { return label; }
}
