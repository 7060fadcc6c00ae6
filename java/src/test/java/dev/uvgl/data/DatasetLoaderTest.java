package dev.uvgl.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLoaderTest {
    @TempDir Path tmp;
    private final List<String> warnings = new ArrayList<>();

    private void image(Path p, String format) throws IOException {
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff8040);
        ImageIO.write(img, format, p.toFile());
    }

    private void corrupt(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    @Test void readsUniversity1652WithAnyExtensionCaseSkipsCorruptFilesAndSortsPaths() throws IOException {
        Path root = tmp.resolve("u1652");
        image(root.resolve("train/drone/0002/image-02.jpeg"), "jpg");
        image(root.resolve("train/drone/0002/image-01.JPEG"), "jpg");
        image(root.resolve("train/drone/0001/image-01.PNG"), "png");
        corrupt(root.resolve("train/drone/0001/image-02.jpg"));
        Files.writeString(root.resolve("train/drone/0001/notes.txt"), "not an image");
        image(root.resolve("train/satellite/0001/0001.jpg"), "jpg");
        image(root.resolve("test/query_drone/0003/image-01.jpeg"), "jpg");
        image(root.resolve("test/gallery_satellite/0003/0003.jpg"), "jpg");
        image(root.resolve("test/gallery_satellite/0009/0009.jpg"), "jpg");
        Files.writeString(root.resolve("gps.csv"), "path,lat,lon\ntest/gallery_satellite/0003/0003.jpg,30.5,120.25\n");
        GeoDataset d = new DatasetLoader(warnings::add).load(root, null).get(0);
        assertEquals(Layout.UNIVERSITY_1652, d.layout());
        assertEquals(List.of("0001/image-01.PNG", "0002/image-01.JPEG", "0002/image-02.jpeg"),
                d.trainDrone().items().stream().map(i -> i.place() + "/" + i.path().getFileName()).toList());
        assertEquals(1, d.trainDrone().skipped());
        assertEquals(1, d.skipped());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("image-02.jpg"), warnings.get(0));
        assertEquals(2, d.gallerySatellite().size());
        assertEquals(30.5, d.gallerySatellite().items().get(0).lat());
        assertEquals(120.25, d.gallerySatellite().items().get(0).lon());
        assertTrue(Double.isNaN(d.gallerySatellite().items().get(1).lat()));
        assertEquals(0, d.querySatellite().size());
    }

    @Test void readsSuesPerAltitudeAndRejectsMissingAltitude() throws IOException {
        Path root = tmp.resolve("sues");
        for (int alt : new int[] {150, 300}) {
            image(root.resolve("Training/" + alt + "/drone/0001/0.jpg"), "jpg");
            image(root.resolve("Training/" + alt + "/satellite/0001/0.png"), "png");
            image(root.resolve("Testing/" + alt + "/query_drone/0121/1.jpg"), "jpg");
            image(root.resolve("Testing/" + alt + "/query_drone/0121/2.jpg"), "jpg");
            image(root.resolve("Testing/" + alt + "/gallery_satellite/0121/0.png"), "png");
        }
        List<GeoDataset> all = new DatasetLoader(warnings::add).load(root, null);
        assertEquals(List.of("SUES-200 150 m", "SUES-200 300 m"), all.stream().map(GeoDataset::name).toList());
        assertEquals(2, all.get(1).queryDrone().size());
        List<GeoDataset> one = new DatasetLoader(warnings::add).load(root, List.of(300));
        assertEquals(1, one.size());
        DatasetError e = assertThrows(DatasetError.class,
                () -> new DatasetLoader(warnings::add).load(root, List.of(200)));
        assertTrue(e.getMessage().contains("Training/200"), e.getMessage());
    }

    @Test void readsDenseUavPositionsKeyedByPlaceFolder() throws IOException {
        Path root = tmp.resolve("dense");
        image(root.resolve("train/drone/000001/H80.JPG"), "jpg");
        image(root.resolve("train/satellite/000001/H80.tif"), "tiff");
        image(root.resolve("test/query_drone/000002/H90.JPG"), "jpg");
        image(root.resolve("test/gallery_satellite/000002/H90.tif"), "tiff");
        Files.writeString(root.resolve("Dense_GPS_ALL.txt"),
                "train/drone/000001/H80.JPG E120.1 N30.2 80\n"
                        + "test/query_drone/000002/H90.JPG E120.3 N30.4 90\n");
        GeoDataset d = new DatasetLoader(warnings::add).load(root, null).get(0);
        assertEquals(Layout.DENSE_UAV, d.layout());
        assertEquals(30.2, d.trainSatellite().items().get(0).lat());
        assertEquals(120.3, d.gallerySatellite().items().get(0).lon());
        assertTrue(d.queryDrone().hasPositions());
    }

    @Test void emptyMissingOrWrongFoldersGetOneLineErrorsNamingTheLayout() throws IOException {
        DatasetLoader loader = new DatasetLoader(warnings::add);
        DatasetError missing = assertThrows(DatasetError.class, () -> loader.load(tmp.resolve("nope"), null));
        assertTrue(missing.getMessage().contains("University-1652: train/drone"), missing.getMessage());
        Files.createDirectories(tmp.resolve("wrong/images"));
        DatasetError wrong = assertThrows(DatasetError.class, () -> loader.load(tmp.resolve("wrong"), null));
        assertTrue(wrong.getMessage().contains("not a dataset folder"), wrong.getMessage());
        Files.createDirectories(tmp.resolve("empty/train/drone"));
        DatasetError empty = assertThrows(DatasetError.class, () -> loader.load(tmp.resolve("empty"), null));
        assertTrue(empty.getMessage().contains("no readable images") && !empty.getMessage().contains("\n"),
                empty.getMessage());
    }

    @Test void badGpsRowNamesTheLine() throws IOException {
        Path root = tmp.resolve("badgps");
        image(root.resolve("train/drone/0001/image-01.jpeg"), "jpg");
        Files.writeString(root.resolve("gps.csv"), "path,lat,lon\na.jpg,30,120\nb.jpg,north,120\n");
        DatasetError e = assertThrows(DatasetError.class, () -> new DatasetLoader(warnings::add).load(root, null));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
