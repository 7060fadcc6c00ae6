package dev.uvgl.data.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** The image files under a folder (recursively, by extension), in sorted order of their relative paths. */
public final class ImageFolder {
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "wbmp", "tif", "tiff");

    private ImageFolder() {}

    public static List<Path> list(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(ImageFolder::isImageName)
                    .map(root::relativize).sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
        }
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
