package dev.uvgl.cluster;

import gnu.trove.list.array.TFloatArrayList;
import gnu.trove.list.array.TIntArrayList;

/**
 * A sparse [n, n] float matrix in compressed rows, columns ascending within a row: the V rows of
 * the Jaccard distance and the distance itself (where an absent pair means distance 1).
 */
public final class SparseRows {
    private final int[] start, cols;
    private final float[] vals;

    SparseRows(int[] start, int[] cols, float[] vals) {
        this.start = start;
        this.cols = cols;
        this.vals = vals;
    }

    public int n() { return start.length - 1; }

    public long nonZeros() { return start[start.length - 1]; }

    public int rowStart(int i) { return start[i]; }

    public int rowEnd(int i) { return start[i + 1]; }

    public int col(int p) { return cols[p]; }

    public float val(int p) { return vals[p]; }

    /** The entry (i, j), or `absent`. */
    public float get(int i, int j, float absent) {
        int lo = start[i], hi = start[i + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cols[mid] < j) lo = mid + 1;
            else if (cols[mid] > j) hi = mid - 1;
            else return vals[mid];
        }
        return absent;
    }

    /** Rows appended in order by one worker; {@link #concat} joins the workers' parts in order. */
    static final class Builder {
        final TIntArrayList rowLength = new TIntArrayList(), cols = new TIntArrayList();
        final TFloatArrayList vals = new TFloatArrayList();

        void add(int col, float val) {
            cols.add(col);
            vals.add(val);
        }

        private int closed;

        /** Closes the row being added: the entries since the previous endRow. */
        void endRow() {
            rowLength.add(cols.size() - closed);
            closed = cols.size();
        }
    }

    static SparseRows concat(Builder[] parts) {
        int n = 0;
        long nnz = 0;
        for (Builder b : parts) {
            n += b.rowLength.size();
            nnz += b.cols.size();
        }
        if (nnz > Integer.MAX_VALUE - 8) throw new IllegalStateException(nnz + " stored entries exceed one array");
        int[] start = new int[n + 1], cols = new int[(int) nnz];
        float[] vals = new float[(int) nnz];
        int row = 0, at = 0;
        for (Builder b : parts) {
            for (int r = 0; r < b.rowLength.size(); r++, row++) start[row + 1] = start[row] + b.rowLength.get(r);
            b.cols.toArray(cols, 0, at, b.cols.size());
            b.vals.toArray(vals, 0, at, b.vals.size());
            at += b.cols.size();
        }
        return new SparseRows(start, cols, vals);
    }
}
