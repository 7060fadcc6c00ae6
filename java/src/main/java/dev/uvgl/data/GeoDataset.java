package dev.uvgl.data;

import java.nio.file.Path;

/**
 * A drone/satellite benchmark read from disk (or a SUES-200 altitude of one): the unlabeled train
 * views and the four test roles. A role the layout lacks is an empty set.
 */
public record GeoDataset(String name, Layout layout, Path root,
                         ImageSet trainDrone, ImageSet trainSatellite,
                         ImageSet queryDrone, ImageSet gallerySatellite, ImageSet querySatellite,
                         ImageSet galleryDrone) {
    public int skipped() {
        return trainDrone.skipped() + trainSatellite.skipped() + queryDrone.skipped() + gallerySatellite.skipped()
                + querySatellite.skipped() + galleryDrone.skipped();
    }
}
