package dev.uvgl.cli;

import dev.uvgl.data.DatasetError;
import dev.uvgl.data.image.ImageFolder;
import dev.uvgl.eval.locate.GalleryIndex;
import dev.uvgl.eval.locate.GalleryPositions;
import dev.uvgl.eval.locate.LocateJson;
import dev.uvgl.eval.locate.LocatePipeline;
import dev.uvgl.eval.locate.Locator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `locate`: ranks a gallery's GPS-tagged tiles for drone photos; JSON on stdout. */
@Command(name = "locate", mixinStandardHelpOptions = true,
        description = {"Rank the satellite tiles under a gallery folder for each drone photo and print JSON: "
                + "per photo its top K tiles "
                + "(path, cosine score, latitude/longitude from the nearest gps.csv or Dense_GPS_ALL.txt "
                + "in the gallery folder or its parents) "
                + "and an estimate (the position of the best-ranked hit that has one).",
                "The gallery's features are cached in DIR.locate-cache beside the folder "
                        + "and recomputed when the checkpoint, "
                        + "an image (path, size or modification time) or --size changes."},
        footer = {"", "Examples:", "  java -jar engine.jar locate --checkpoint run/checkpoints/best.ckpt "
                + "--gallery world/test/gallery_satellite --image photo.jpg",
                "  java -jar engine.jar locate --checkpoint best.ckpt --gallery world/test/gallery_satellite "
                        + "--images world/test/query_drone/0004 --top 10"})
public final class LocateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--gallery", required = true, paramLabel = "DIR",
            description = "folder of satellite tiles, searched recursively (e.g. WORLD/test/gallery_satellite)")
    Path gallery;

    @ArgGroup(exclusive = true, multiplicity = "1") Photos photos;

    static final class Photos {
        @Option(names = "--image", required = true, paramLabel = "PHOTO", description = "one drone photo") Path image;
        @Option(names = "--images", required = true, paramLabel = "DIR",
                description = "every image under DIR, in sorted path order")
        Path images;
    }

    @Option(names = "--top", defaultValue = "5", paramLabel = "K",
            description = "hits per photo (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--batch", defaultValue = "16", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Override public Integer call() throws IOException {
        if (top < 1) throw new UserError("--top must be >= 1, got " + top);
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        List<Path> tiles = galleryImages();
        Path root;
        List<Path> queries;
        if (photos.image != null) {
            if (Files.isDirectory(photos.image))
                throw new UserError("--image " + photos.image
                        + " is a folder; pass one photo, or use --images for a folder of photos");
            if (!Files.isRegularFile(photos.image))
                throw new UserError("photo " + photos.image + " does not exist; pass --image with a drone photo file");
            Path parent = photos.image.getParent();
            root = parent == null ? Path.of("") : parent;
            queries = List.of(photos.image.getFileName());
        } else {
            if (!Files.isDirectory(photos.images))
                throw new UserError("photo folder " + photos.images
                        + " does not exist; pass --images with a folder of drone photos");
            root = photos.images;
            queries = ImageFolder.list(root);
            if (queries.isEmpty())
                throw new UserError("no images (" + String.join(", ", ImageFolder.EXTENSIONS) + ") under " + root
                        + "; pass the folder that holds the photos");
        }
        GalleryPositions positions;
        try {
            positions = GalleryPositions.find(gallery).orElse(null);
        } catch (DatasetError e) {
            throw new UserError(e.getMessage());
        }
        if (positions == null)
            System.err.println("locate: no gps.csv or Dense_GPS_ALL.txt in " + gallery
                    + " or its parents; hits have no positions");

        ModelOptions.Model m = model.load("locate");
        LocatePipeline pipeline = LocatePipeline.open(m.loaded().model(), m.backend(), m.size(), batch,
                model.checkpoint, gallery, tiles, positions,
                ConsoleProgress.factory(), System.err::println);
        GalleryIndex.Loaded g = pipeline.gallery();
        System.err.println("locate: gallery " + gallery + ": " + g.features().size() + " tiles, "
                + (g.fromCache() ? "features read from cache " : "features computed and cached in ")
                + pipeline.cacheFile());
        if (g.features().size() == 0)
            throw new UserError("none of the " + tiles.size() + " images under " + gallery
                    + " could be decoded; check the files");

        List<Locator.Answer> answers = pipeline.locate(root, queries, top);
        if (answers.isEmpty())
            throw new UserError(photos.image != null
                    ? "photo " + photos.image + " cannot be decoded as an image; pass a JPEG, PNG, BMP or TIFF file"
                    : "none of the " + queries.size() + " images under " + root + " could be decoded; check the files");
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("gallery", gallery.toString().replace('\\', '/'));
        about.put("tiles", g.features().size());
        about.put("checkpoint", model.checkpoint.toString().replace('\\', '/'));
        about.put("model", m.loaded().model().config().name());
        about.put("size", m.size());
        System.out.println(LocateJson.of(about, positions == null ? null : positions.file(), answers));
        return 0;
    }

    private List<Path> galleryImages() throws IOException {
        if (!Files.isDirectory(gallery))
            throw new UserError("gallery folder " + gallery + " does not exist; "
                    + "pass --gallery with a folder of satellite tiles (e.g. WORLD/test/gallery_satellite)");
        List<Path> tiles = ImageFolder.list(gallery);
        if (tiles.isEmpty())
            throw new UserError("no images (" + String.join(", ", ImageFolder.EXTENSIONS) + ") under gallery " + gallery
                    + "; pass the folder that holds the satellite tiles (e.g. WORLD/test/gallery_satellite)");
        return tiles;
    }
}
