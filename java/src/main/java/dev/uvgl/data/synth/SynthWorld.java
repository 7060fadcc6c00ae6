package dev.uvgl.data.synth;

import dev.uvgl.backend.cpu.Parallel;
import dev.uvgl.data.synth.WorldLayout.Place;
import dev.uvgl.util.AtomicFiles;
import dev.uvgl.util.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates the synthetic world in University-1652's layout with a gps.csv at its root. The world
 * is built in a hidden sibling folder and renamed into place at the end, so an interrupted run
 * never leaves a half world that later commands would read as complete.
 */
public final class SynthWorld {
    private final SynthOptions opt;
    private double mapSeconds;

    public SynthWorld(SynthOptions opt) {
        String problem = opt.problem();
        if (problem != null) throw new IllegalArgumentException(problem);
        this.opt = opt;
    }

    /** Seconds the last generate() spent painting the map (the rest is rendering and writing views). */
    public double mapSeconds() { return mapSeconds; }

    /** One image to render: a place's tile (view -1) or its drone view number `view`. */
    private record Job(Place place, int view) {}

    public void generate(Path out, Progress.Factory progress) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target)))
            throw new IllegalArgumentException("output folder " + out
                    + " already exists and is not empty; choose a new --out or delete it");
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            WorldLayout layout = new WorldLayout(opt.places(), opt.places(), opt.distractors(), opt.seed());
            long t0 = System.nanoTime();
            Orthomosaic map = new MapPainter(opt.seed(), layout.sideMetres(), layout.sideMetres(),
                    opt.metresPerPixel()).paint();
            mapSeconds = (System.nanoTime() - t0) / 1e9;
            GeoFrame frame = new GeoFrame(30.0 + Streams.of(opt.seed(), 2).nextDouble(-1, 1),
                    120.0 + Streams.of(opt.seed(), 3).nextDouble(-1, 1));
            List<Job> jobs = new ArrayList<>();
            for (Place p : layout.places()) {
                jobs.add(new Job(p, -1));
                for (int v = 0; v < opt.dronesPerPlace(); v++) jobs.add(new Job(p, v));
            }
            String[][] gps = new String[jobs.size()][];
            try (Progress bar = progress.start("synth", jobs.size())) {
                Parallel.range(jobs.size(), 4, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        gps[i] = render(jobs.get(i), map, frame, tmp);
                        bar.step(1);
                    }
                });
            }
            StringBuilder csv = new StringBuilder("path,lat,lon\n");
            List<String> rows = new ArrayList<>();
            for (String[] g : gps) for (String row : g) rows.add(row);
            rows.sort(Comparator.naturalOrder());
            for (String row : rows) csv.append(row).append('\n');
            AtomicFiles.write(tmp.resolve("gps.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            WorldInfo.of(opt).write(tmp);
            if (Files.exists(target)) Files.delete(target);
            Files.move(tmp, target);
        } catch (RuntimeException | IOException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Renders and writes one image (into every folder that holds it); returns its gps.csv rows. */
    private String[] render(Job job, Orthomosaic map, GeoFrame frame, Path root) {
        Place p = job.place();
        List<String> rows = new ArrayList<>();
        try {
            if (job.view() < 0) {
                float[] img = SatelliteView.render(map, p.x(), p.y(), opt.tileSpanMetres(), opt.size());
                byte[] jpg = ImageFiles.encodeJpeg(img, opt.size(), opt.size());
                String name = p.id() + ".jpg";
                List<String> dirs = switch (p.role()) {
                    case TRAIN -> List.of("train/satellite");
                    case TEST -> List.of("test/gallery_satellite", "test/query_satellite");
                    case DISTRACTOR -> List.of("test/gallery_satellite");
                };
                for (String d : dirs) rows.add(write(root, d + "/" + p.id() + "/" + name, jpg, frame, p.x(), p.y()));
            } else {
                SplittableRandom rnd = Streams.of(opt.seed(), 100 + p.id().hashCode(), job.view());
                float[] img = DroneView.render(map, p.x(), p.y(), opt.size(), rnd);
                Photometry.apply(img, opt.size(), rnd);
                byte[] jpg = ImageFiles.encodeJpeg(img, opt.size(), opt.size());
                String name = String.format("image-%02d.jpeg", job.view() + 1);
                List<String> dirs = switch (p.role()) {
                    case TRAIN -> List.of("train/drone");
                    case TEST -> List.of("test/query_drone", "test/gallery_drone");
                    case DISTRACTOR -> List.of("test/gallery_drone");
                };
                // A drone photo's position is the ground point it is centred on (the place it shows).
                for (String d : dirs) rows.add(write(root, d + "/" + p.id() + "/" + name, jpg, frame, p.x(), p.y()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.toArray(new String[0]);
    }

    private static String write(Path root, String rel, byte[] bytes, GeoFrame frame, double x,
            double y) throws IOException {
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return String.format(Locale.ROOT, "%s,%.7f,%.7f", rel, frame.lat(y), frame.lon(x));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) { return s.findAny().isEmpty(); }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort cleanup of our own temp folder
        }
    }
}
