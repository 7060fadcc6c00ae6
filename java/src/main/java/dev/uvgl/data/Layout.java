package dev.uvgl.data;

/** The release layouts the engine reads (benchmarks.md section 1); the synthetic world uses University-1652's. */
public enum Layout {
    UNIVERSITY_1652("University-1652: train/drone/<id>/*, train/satellite/<id>/*, "
            + "test/{query_drone,gallery_satellite,query_satellite,gallery_drone}/<id>/*"),
    SUES_200("SUES-200: Training/<150|200|250|300>/{drone,satellite}/<id>/*, "
            + "Testing/<alt>/{query_drone,gallery_satellite,query_satellite,gallery_drone}/<id>/*"),
    DENSE_UAV(
            "DenseUAV: Dense_GPS_ALL.txt, train/{drone,satellite}/<id>/*, test/{query_drone,gallery_satellite}/<id>/*");

    private final String expected;

    Layout(String expected) { this.expected = expected; }

    /** The folder tree this layout expects, for error messages. */
    public String expected() { return expected; }

    public static String allExpected() {
        StringBuilder sb = new StringBuilder();
        for (Layout l : values()) sb.append(sb.length() == 0 ? "" : " | ").append(l.expected);
        return sb.toString();
    }
}
