package dev.uvgl.data;

import dev.uvgl.backend.cpu.Parallel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Lists `<role>/<place>/<image>` under a root as an ImageSet in sorted path order, skipping (with
 * a warning, counted) files with an image extension that cannot be decoded. Other files are ignored.
 */
public final class FolderScanner {
    private final Consumer<String> warn;

    public FolderScanner(Consumer<String> warn) { this.warn = warn; }

    /** The set, or an empty one named `role` when the folder does not exist. */
    public ImageSet scan(Path root, String role) {
        Path dir = root.resolve(role);
        if (!Files.isDirectory(dir)) return new ImageSet(role, List.of(), 0);
        List<Path> files = new ArrayList<>();
        List<String> places = new ArrayList<>();
        for (Path place : list(dir)) {
            if (!Files.isDirectory(place)) continue;
            for (Path f : list(place)) {
                if (!Files.isRegularFile(f) || !ImageProbe.isImageName(f)) continue;
                files.add(f);
                places.add(place.getFileName().toString());
            }
        }
        // Header checks are I/O bound and independent: probe in parallel, report in path order.
        String[] problems = new String[files.size()];
        Parallel.range(files.size(), 64, (lo, hi) -> {
            for (int i = lo; i < hi; i++) problems[i] = ImageProbe.problem(files.get(i));
        });
        List<ImageItem> items = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < files.size(); i++) {
            if (problems[i] != null) {
                warn.accept("warning: skipping " + files.get(i) + ": " + problems[i]);
                skipped++;
            } else {
                items.add(new ImageItem(files.get(i), places.get(i), Double.NaN, Double.NaN));
            }
        }
        items.sort(Comparator.comparing(i -> i.path().toString()));
        return new ImageSet(role, List.copyOf(items), skipped);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
