package dev.uvgl.data.synth;

import dev.uvgl.data.DatasetLoader;
import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.Layout;
import dev.uvgl.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthWorldTest {
    @TempDir Path tmp;

    private static final SynthOptions SMALL = new SynthOptions(4, 8, 48, 7);

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }

    @Test void sameSeedGivesSameBytesAndAnotherSeedAnotherWorld() throws IOException {
        new SynthWorld(SMALL).generate(tmp.resolve("a"), Progress.NONE);
        new SynthWorld(SMALL).generate(tmp.resolve("b"), Progress.NONE);
        new SynthWorld(new SynthOptions(4, 8, 48, 8)).generate(tmp.resolve("c"), Progress.NONE);
        Map<String, byte[]> a = files(tmp.resolve("a")), b = files(tmp.resolve("b")), c = files(tmp.resolve("c"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
        assertFalse(java.util.Arrays.equals(a.get("test/gallery_satellite/0005/0005.jpg"),
                c.get("test/gallery_satellite/0005/0005.jpg")));
    }

    @Test void worldJsonRecordsWhatTheWorldWasMadeFrom() throws IOException {
        Path w = tmp.resolve("info");
        new SynthWorld(new SynthOptions(4, 8, 48, 77, 0.5, 300)).generate(w, Progress.NONE);
        WorldInfo info = WorldInfo.read(w).orElseThrow();
        assertEquals(new WorldInfo(77, 4, 8, 48, 300), info);
        assertTrue(WorldInfo.read(tmp).isEmpty(), "a folder without world.json has no info");
        Files.writeString(w.resolve(WorldInfo.FILE), "{\"places\": 4}");
        IOException e = assertThrows(IOException.class, () -> WorldInfo.read(w));
        assertTrue(e.getMessage().contains("no seed") && e.getMessage().contains("synth"), e.getMessage());
    }

    @Test void worldHasUniversityLayoutDisjointSplitsDistractorsAndGpsForEveryImage() throws IOException {
        Path w = tmp.resolve("w");
        new SynthWorld(SMALL).generate(w, Progress.NONE);
        GeoDataset d = new DatasetLoader(msg -> { throw new AssertionError(msg); }).load(w, null).get(0);
        assertEquals(Layout.UNIVERSITY_1652, d.layout());
        assertEquals(4 * 8, d.trainDrone().size());
        assertEquals(4, d.trainSatellite().size());
        assertEquals(4 * 8, d.queryDrone().size());
        assertEquals(4, d.querySatellite().size());
        assertEquals(5, d.gallerySatellite().size()); // 4 test places + 1 distractor
        assertEquals(5 * 8, d.galleryDrone().size());
        Set<String> train = places(d.trainDrone().items()), test = places(d.queryDrone().items());
        Set<String> both = new HashSet<>(train);
        both.retainAll(test);
        assertTrue(both.isEmpty(), "train and test share places " + both);
        for (var set : List.of(d.trainDrone(), d.trainSatellite(), d.queryDrone(), d.gallerySatellite(),
                d.querySatellite(), d.galleryDrone()))
            assertTrue(set.hasPositions(), set.name() + " lacks gps.csv rows");
        // Distinct places are at distinct positions; a place's tiles and views share one.
        Set<String> positions = d.gallerySatellite().items().stream().map(i -> i.lat() + "," + i.lon())
                .collect(Collectors.toSet());
        assertEquals(5, positions.size());
        // Drone views of one place differ from each other (varied viewpoints), never copies.
        List<byte[]> views = new ArrayList<>();
        for (ImageItem i : d.queryDrone().items())
            if (i.place().equals(d.queryDrone().items().get(0).place())) views.add(Files.readAllBytes(i.path()));
        for (int i = 1; i < views.size(); i++) assertFalse(java.util.Arrays.equals(views.get(0), views.get(i)));
    }

    @Test void refusesANonEmptyOutputFolderAndBadSizes() throws IOException {
        Files.createDirectories(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full/x.txt"), "x");
        assertThrows(IllegalArgumentException.class,
                () -> new SynthWorld(SMALL).generate(tmp.resolve("full"), Progress.NONE));
        assertNotEquals(null, new SynthOptions(4, 7, 48, 1).problem());
        assertNotEquals(null, new SynthOptions(4, 55, 48, 1).problem());
    }

    private static Set<String> places(List<ImageItem> items) {
        return items.stream().map(ImageItem::place).collect(Collectors.toSet());
    }
}
