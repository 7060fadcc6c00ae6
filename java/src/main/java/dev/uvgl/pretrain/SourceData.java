package dev.uvgl.pretrain;

import dev.uvgl.data.GeoDataset;
import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source world's images in two label spaces that never meet: every drone photo labelled by its place
 * (all of one place's drone views share a class), every satellite tile its own class. Every place of the
 * world is used (train, test and distractors: the source world is never evaluated); the test roles that
 * repeat the same files (query_drone, query_satellite) are left out so no image counts twice.
 */
public record SourceData(List<Path> droneFiles, int[] dronePlace, int places, List<Path> tileFiles) {
    public static SourceData of(GeoDataset world) {
        List<ImageItem> drones = union(world.trainDrone(), world.galleryDrone());
        List<ImageItem> tiles = union(world.trainSatellite(), world.gallerySatellite());
        Map<String, Integer> placeIds = new HashMap<>();
        int[] place = new int[drones.size()];
        List<Path> droneFiles = new ArrayList<>(drones.size());
        for (int i = 0; i < drones.size(); i++) {
            place[i] = placeIds.computeIfAbsent(drones.get(i).place(), k -> placeIds.size());
            droneFiles.add(drones.get(i).path());
        }
        if (drones.isEmpty() || tiles.isEmpty())
            throw new IllegalArgumentException(world.root()
                    + " has no drone photos or no satellite tiles to pretrain on; generate it with synth");
        return new SourceData(droneFiles, place, placeIds.size(), tiles.stream().map(ImageItem::path).toList());
    }

    public int tiles() { return tileFiles.size(); }

    /** Each tile's class is its own index. */
    public int[] tileLabels() {
        int[] l = new int[tileFiles.size()];
        for (int i = 0; i < l.length; i++) l[i] = i;
        return l;
    }

    private static List<ImageItem> union(ImageSet a, ImageSet b) {
        List<ImageItem> out = new ArrayList<>(a.items());
        out.addAll(b.items());
        out.sort(Comparator.comparing(i -> i.path().toString()));
        return out;
    }
}
