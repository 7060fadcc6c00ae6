package dev.uvgl.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a dataset folder in any of the three release layouts, recognised from the tree:
 * Dense_GPS_ALL.txt means DenseUAV, Training/ or Testing/ SUES-200, train/ or test/ University-1652
 * (the synthetic world too). SUES-200 gives one dataset per altitude.
 */
public final class DatasetLoader {
    public static final List<Integer> SUES_ALTITUDES = List.of(150, 200, 250, 300);

    private final FolderScanner scanner;

    public DatasetLoader(Consumer<String> warn) { this.scanner = new FolderScanner(warn); }

    public static Layout detect(Path root) {
        if (!Files.isDirectory(root))
            throw new DatasetError("no dataset folder " + root + "; expected one of: " + Layout.allExpected());
        if (Files.isRegularFile(root.resolve("Dense_GPS_ALL.txt"))) return Layout.DENSE_UAV;
        if (Files.isDirectory(root.resolve("Training")) || Files.isDirectory(root.resolve("Testing")))
            return Layout.SUES_200;
        if (Files.isDirectory(root.resolve("train")) || Files.isDirectory(root.resolve("test")))
            return Layout.UNIVERSITY_1652;
        throw new DatasetError(root + " is not a dataset folder in a known layout; expected one of: "
                + Layout.allExpected());
    }

    /** Every dataset under root; `altitudes` selects SUES-200 altitudes (null or empty: all present). */
    public List<GeoDataset> load(Path root, List<Integer> altitudes) {
        Layout layout = detect(root);
        try {
            List<GeoDataset> out = switch (layout) {
                case UNIVERSITY_1652 -> List.of(university(root));
                case SUES_200 -> sues(root, altitudes);
                case DENSE_UAV -> List.of(denseUav(root));
            };
            for (GeoDataset d : out) {
                if (d.trainDrone().size() + d.trainSatellite().size() + d.queryDrone().size()
                        + d.gallerySatellite().size()
                        + d.querySatellite().size() + d.galleryDrone().size() == 0)
                    throw new DatasetError(root + " holds no readable images in the " + layout.name()
                            + " layout; expected " + layout.expected());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GeoDataset university(Path root) throws IOException {
        Path csv = root.resolve("gps.csv");
        GpsTable gps = Files.isRegularFile(csv) ? GpsTable.readCsv(csv) : null;
        return new GeoDataset("University-1652", Layout.UNIVERSITY_1652, root,
                byPath(scanner.scan(root, "train/drone"), root, gps),
                byPath(scanner.scan(root, "train/satellite"), root, gps),
                byPath(scanner.scan(root, "test/query_drone"), root, gps),
                byPath(scanner.scan(root, "test/gallery_satellite"), root, gps),
                byPath(scanner.scan(root, "test/query_satellite"), root, gps),
                byPath(scanner.scan(root, "test/gallery_drone"), root, gps));
    }

    private List<GeoDataset> sues(Path root, List<Integer> wanted) {
        List<Integer> alts = wanted == null || wanted.isEmpty() ? SUES_ALTITUDES : wanted;
        List<GeoDataset> out = new ArrayList<>();
        for (int alt : alts) {
            if (!SUES_ALTITUDES.contains(alt))
                throw new DatasetError("SUES-200 altitude " + alt + " does not exist; use one of " + SUES_ALTITUDES);
            Path train = root.resolve("Training/" + alt), test = root.resolve("Testing/" + alt);
            if (!Files.isDirectory(train) && !Files.isDirectory(test)) {
                if (wanted != null && !wanted.isEmpty())
                    throw new DatasetError(root + " has no altitude " + alt + " (no Training/" + alt + " or Testing/"
                            + alt + "); expected " + Layout.SUES_200.expected());
                continue;
            }
            out.add(new GeoDataset("SUES-200 " + alt + " m", Layout.SUES_200, root,
                    scanner.scan(train, "drone"), scanner.scan(train, "satellite"),
                    scanner.scan(test, "query_drone"), scanner.scan(test, "gallery_satellite"),
                    scanner.scan(test, "query_satellite"), scanner.scan(test, "gallery_drone")));
        }
        if (out.isEmpty())
            throw new DatasetError(root + " has no altitude folder; expected " + Layout.SUES_200.expected());
        return out;
    }

    private GeoDataset denseUav(Path root) throws IOException {
        GpsTable gps = GpsTable.readDenseUav(root.resolve("Dense_GPS_ALL.txt"));
        return new GeoDataset("DenseUAV", Layout.DENSE_UAV, root,
                byPlace(scanner.scan(root, "train/drone"), gps), byPlace(scanner.scan(root, "train/satellite"), gps),
                byPlace(scanner.scan(root, "test/query_drone"), gps),
                byPlace(scanner.scan(root, "test/gallery_satellite"), gps),
                scanner.scan(root, "test/query_satellite"), scanner.scan(root, "test/gallery_drone"));
    }

    private static ImageSet byPath(ImageSet set, Path root, GpsTable gps) {
        if (gps == null) return set;
        List<ImageItem> items = new ArrayList<>(set.size());
        for (ImageItem i : set.items()) {
            double[] ll = gps.get(root.relativize(i.path()).toString().replace('\\', '/'));
            items.add(ll == null ? i : i.withPosition(ll[0], ll[1]));
        }
        return new ImageSet(set.name(), List.copyOf(items), set.skipped());
    }

    private static ImageSet byPlace(ImageSet set, GpsTable gps) {
        List<ImageItem> items = new ArrayList<>(set.size());
        for (ImageItem i : set.items()) {
            double[] ll = gps.get(i.place());
            items.add(ll == null ? i : i.withPosition(ll[0], ll[1]));
        }
        return new ImageSet(set.name(), List.copyOf(items), set.skipped());
    }
}
