package dev.uvgl.dmnil;

import dev.uvgl.data.ImageItem;
import dev.uvgl.data.ImageSet;
import dev.uvgl.data.pipeline.SatelliteRows;

import java.nio.file.Path;
import java.util.List;

/**
 * The training rows of one view in sorted path order (dmnil.md section 1): one per drone image, or
 * `copies` per satellite tile (virtual replication; every copy is its own row). The folder of each row
 * is kept for diagnostics only (pseudo-label purity); no loss ever reads it.
 */
public final class ViewRows {
    private final String name;
    private final ImageSet images;
    private final int copies;

    private ViewRows(String name, ImageSet images, int copies) {
        this.name = name;
        this.images = images;
        this.copies = copies;
    }

    public static ViewRows drone(ImageSet set) { return new ViewRows("drone", set, 1); }

    public static ViewRows satellite(ImageSet set, int copies) { return new ViewRows("satellite", set, copies); }

    public String name() { return name; }

    public ImageSet images() { return images; }

    /** Distinct images (tiles for the satellite view). */
    public int imageCount() { return images.size(); }

    public int copies() { return copies; }

    public int rows() { return new SatelliteRows(images.size(), copies).rows(); }

    public int imageOf(int row) { return new SatelliteRows(images.size(), copies).tileOf(row); }

    public Path fileOf(int row) { return images.items().get(imageOf(row)).path(); }

    /** The place folder of a row: diagnostics, and the labels of the supervised bound (labels=true) only. */
    public String placeOf(int row) { return images.items().get(imageOf(row)).place(); }

    /** Hidden folder ids per row, as dense integers: diagnostics only. */
    public int[] folderIdsForDiagnostics() {
        List<ImageItem> items = images.items();
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[rows()];
        for (int r = 0; r < out.length; r++)
            out[r] = ids.computeIfAbsent(items.get(imageOf(r)).place(), k -> ids.size());
        return out;
    }

    /** Repeats per-image rows [images, dim] into per-row features [rows, dim]. */
    public float[] expand(float[][] perImage) {
        int dim = perImage.length == 0 ? 0 : perImage[0].length, n = rows();
        float[] out = new float[n * dim];
        for (int r = 0; r < n; r++) System.arraycopy(perImage[imageOf(r)], 0, out, r * dim, dim);
        return out;
    }
}
