package dev.uvgl.eval.locate;

import dev.uvgl.data.GpsTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Positions of gallery tiles from the nearest position file in the gallery folder or its parents
 * (cli.md): `gps.csv` (paths relative to its folder, as `synth` writes at the world's root) or
 * DenseUAV's `Dense_GPS_ALL.txt` (positions keyed by each tile's place folder).
 */
public final class GalleryPositions {
    private final Path file;
    private final GpsTable table;
    private final boolean byPlace;

    private GalleryPositions(Path file, GpsTable table, boolean byPlace) {
        this.file = file;
        this.table = table;
        this.byPlace = byPlace;
    }

    /**
     * The nearest position file's table; empty when none exists. A
     * malformed file fails with DatasetError naming the file and line.
     */
    public static Optional<GalleryPositions> find(Path gallery) throws IOException {
        for (Path dir = gallery.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path csv = dir.resolve("gps.csv"), dense = dir.resolve("Dense_GPS_ALL.txt");
            if (Files.isRegularFile(csv)) return Optional.of(new GalleryPositions(csv, GpsTable.readCsv(csv), false));
            if (Files.isRegularFile(dense))
                return Optional.of(new GalleryPositions(dense, GpsTable.readDenseUav(dense), true));
        }
        return Optional.empty();
    }

    public Path file() { return file; }

    /** {lat, lon} of a file under the gallery, or null when the table has no row for it. */
    public double[] of(Path imageFile) {
        Path abs = imageFile.toAbsolutePath().normalize();
        if (byPlace) return abs.getParent() == null ? null : table.get(abs.getParent().getFileName().toString());
        Path root = file.getParent();
        return abs.startsWith(root) ? table.get(root.relativize(abs).toString().replace('\\', '/')) : null;
    }
}
