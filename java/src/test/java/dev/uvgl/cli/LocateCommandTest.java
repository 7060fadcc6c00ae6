package dev.uvgl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uvgl.backend.cpu.CpuBackend;
import dev.uvgl.model.ConvNeXt;
import dev.uvgl.model.ConvNeXtConfig;
import dev.uvgl.model.weights.ConvNeXtWeights;
import dev.uvgl.tensor.DType;
import dev.uvgl.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `locate` with an untrained atto on a tiny synthetic world: hits with positions, the gallery cache, bad input. */
class LocateCommandTest {
    @TempDir static Path dir;
    static Path world, weights;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll static void makeWorldAndWeights() throws Exception {
        world = dir.resolve("world");
        CliRun synth = CliRun.of("synth", "--out", world.toString(), "--places", "3", "--drones-per-place", "8",
                "--size", "64", "--seed", "5");
        assertEquals(0, synth.code(), synth.err());
        weights = dir.resolve("atto.safetensors");
        ConvNeXtWeights.save(new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 1), weights);
    }

    static Map<String, double[]> gpsRows(Path csv) throws IOException {
        Map<String, double[]> m = new HashMap<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            m.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        return m;
    }

    static CliRun locate(Path gallery, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("locate", "--checkpoint", weights.toString(),
                "--gallery", gallery.toString(), "--size", "64"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * A private copy of the world's gallery (the cache is written beside it), with the world's gps.csv two levels up.
     */
    static Path galleryCopy(String name) throws IOException {
        Path root = dir.resolve(name), g = root.resolve("test/gallery_satellite");
        Path src = world.resolve("test/gallery_satellite");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path to = g.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.copy(world.resolve("gps.csv"), root.resolve("gps.csv"));
        return g;
    }

    @Test void oneQueryGetsKHitsWithTheGalleryPositions() throws IOException {
        Path gallery = world.resolve("test/gallery_satellite");
        CliRun r = locate(gallery, "--image", world.resolve("test/query_drone/0004/image-01.jpeg").toString(),
                "--top", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("atto", j.path("model").asText());
        assertEquals(world.resolve("gps.csv").toString(), j.path("gps").asText());
        JsonNode q = j.path("queries").get(0);
        assertEquals(1, j.path("queries").size());
        assertTrue(q.path("path").asText().endsWith("query_drone/0004/image-01.jpeg"), q.toString());
        JsonNode hits = q.path("hits");
        assertEquals(3, hits.size());
        Map<String, double[]> gps = gpsRows(world.resolve("gps.csv"));
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode h : hits) {
            String rel = world.relativize(Path.of(h.path("path").asText())).toString().replace('\\', '/');
            assertTrue(rel.startsWith("test/gallery_satellite/"), rel);
            assertEquals(gps.get(rel)[0], h.path("lat").asDouble(), 1e-9, rel);
            assertEquals(gps.get(rel)[1], h.path("lon").asDouble(), 1e-9, rel);
            assertTrue(h.path("score").asDouble() <= previous, "hits are best first");
            previous = h.path("score").asDouble();
        }
        assertEquals(hits.get(0).path("lat").asDouble(), q.path("estimate").path("lat").asDouble());
        assertEquals(1, q.path("estimate").path("from_rank").asInt());
    }

    @Test void aFolderOfPhotosGetsOneAnswerEach() throws IOException {
        CliRun r = locate(world.resolve("test/gallery_satellite"),
                "--images", world.resolve("test/query_drone/0005").toString(), "--top", "10");
        assertEquals(0, r.code(), r.err());
        JsonNode qs = JSON.readTree(r.out()).path("queries");
        assertEquals(8, qs.size());
        assertEquals(4, qs.get(0).path("hits").size(), "K is clamped to the 4 tiles of the gallery");
    }

    @Test void theCacheIsReusedUntilATileOrTheCheckpointChanges() throws IOException {
        Path gallery = galleryCopy("cached");
        String photo = world.resolve("test/query_drone/0006/image-02.jpeg").toString();
        CliRun first = locate(gallery, "--image", photo);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("features computed and cached"), first.err());
        assertTrue(Files.isRegularFile(gallery.resolveSibling("gallery_satellite.locate-cache")));

        // Garbage of the same length with the old modification time: a run that re-extracted would skip this tile.
        Path tile = gallery.resolve("0004/0004.jpg");
        FileTime mtime = Files.getLastModifiedTime(tile);
        byte[] original = Files.readAllBytes(tile);
        Files.write(tile, new byte[original.length]);
        Files.setLastModifiedTime(tile, mtime);
        CliRun cached = locate(gallery, "--image", photo);
        assertEquals(0, cached.code(), cached.err());
        assertTrue(cached.err().contains("features read from cache") && !cached.err().contains("skipping"),
                cached.err());
        assertEquals(first.out(), cached.out());

        Files.setLastModifiedTime(tile, FileTime.fromMillis(mtime.toMillis() + 10_000));
        CliRun touched = locate(gallery, "--image", photo);
        assertEquals(0, touched.code(), touched.err());
        assertTrue(touched.err().contains("features computed") && touched.err().contains("skipping 0004/0004.jpg"),
                touched.err());
        assertEquals(3, JSON.readTree(touched.out()).path("tiles").asInt());

        Files.write(tile, original);
        assertTrue(locate(gallery, "--image", photo).err().contains("features computed"));
        Path other = dir.resolve("other.safetensors");
        ConvNeXtWeights.save(new ConvNeXt(ConvNeXtConfig.ATTO, CpuBackend.INSTANCE, DType.F32, 2), other);
        CliRun retrained = CliRun.of("locate", "--checkpoint", other.toString(), "--gallery", gallery.toString(),
                "--size", "64", "--image", photo);
        assertEquals(0, retrained.code(), retrained.err());
        assertTrue(retrained.err().contains("features computed"), retrained.err());
        assertNotEquals(JSON.readTree(first.out()).path("queries").get(0).path("hits").get(0).path("score").asDouble(),
                JSON.readTree(retrained.out()).path("queries").get(0).path("hits").get(0).path("score").asDouble());
    }

    @Test void badInputIsOneLineWithExit2() throws IOException {
        Path gallery = world.resolve("test/gallery_satellite");
        CliRun missing = locate(gallery, "--image", dir.resolve("no-such.jpg").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist") && missing.err().strip().lines().count() == 1,
                missing.err());

        CliRun noGallery = locate(dir.resolve("no-gallery"),
                "--image", world.resolve("test/query_drone/0004/image-01.jpeg").toString());
        assertEquals(2, noGallery.code());
        assertTrue(noGallery.err().contains("gallery folder") && noGallery.err().contains("does not exist"),
                noGallery.err());

        Path empty = Files.createDirectories(dir.resolve("empty-gallery/sub"));
        CliRun noTiles = locate(empty.getParent(),
                "--image", world.resolve("test/query_drone/0004/image-01.jpeg").toString());
        assertEquals(2, noTiles.code());
        assertTrue(noTiles.err().contains("no images") && noTiles.err().strip().lines().count() == 1, noTiles.err());

        Path badGps = galleryCopy("badgps");
        Files.writeString(badGps.getParent().getParent().resolve("gps.csv"),
                "path,lat,lon\ntest/gallery_satellite/0004/0004.jpg,30,120\nx.jpg,30,east\n");
        CliRun gps = locate(badGps, "--image", world.resolve("test/query_drone/0004/image-01.jpeg").toString());
        assertEquals(2, gps.code(), gps.err());
        assertTrue(gps.err().contains("gps.csv line 3") && gps.err().strip().lines().count() == 1, gps.err());

        Path notPhoto = Files.writeString(dir.resolve("notes.jpg"), "not a photo");
        CliRun undecodable = locate(gallery, "--image", notPhoto.toString());
        assertEquals(2, undecodable.code(), undecodable.err());
        assertTrue(undecodable.err().strip().lines().reduce((a, b) -> b).orElse("").contains("cannot be decoded"),
                undecodable.err());

        assertEquals(2, locate(gallery, "--image", notPhoto.toString(), "--top", "0").code());
        CliRun noPhotos = locate(gallery, "--images", dir.resolve("empty-gallery").toString());
        assertEquals(2, noPhotos.code());
        assertTrue(noPhotos.err().contains("no images") && noPhotos.err().contains("photos"), noPhotos.err());
        assertEquals(2, locate(gallery).code(), "one of --image or --images is required");
    }
}
