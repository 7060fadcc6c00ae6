package dev.uvgl.data;

import java.util.List;

/**
 * The images of one folder role (e.g. test/query_drone), sorted by path, and how many unreadable files were skipped.
 */
public record ImageSet(String name, List<ImageItem> items, int skipped) {
    public int size() { return items.size(); }

    public boolean hasPositions() { return !items.isEmpty() && items.stream().allMatch(ImageItem::hasPosition); }
}
