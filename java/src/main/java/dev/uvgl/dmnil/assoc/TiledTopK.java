package dev.uvgl.dmnil.assoc;

import dev.uvgl.backend.Scope;
import dev.uvgl.backend.TopK;
import dev.uvgl.tensor.Tensor;

/**
 * Each query row's k best key rows by the sum of dot products over one or more (queries, keys)
 * pairs: sum_p queries_p[i] . keys_p[j]. Query rows are streamed in tiles through the backend's
 * matmul, so at most a few tileRows x (key rows) score matrices exist at once; ranking is the
 * backend's topk (largest first, ties to the lower index).
 *
 * <p>Each tile is scored as keys . tile^T and then transposed: the CPU backend splits a product
 * into blocks of its left operand's rows and stages the whole right operand for every block, so
 * with the keys on the left they are staged once per tile rather than once per block.
 */
final class TiledTopK {
    private TiledTopK() {}

    /** Row i's indices are [i*k, i*k + k). */
    static int[] search(Tensor[] queries, Tensor[] keys, int k, int tileRows) {
        if (queries.length != keys.length || queries.length == 0)
            throw new IllegalArgumentException("need matching query and key matrices");
        int n = queries[0].dim(0), m = keys[0].dim(0);
        for (int p = 0; p < queries.length; p++)
            if (queries[p].dim(0) != n || keys[p].dim(0) != m || queries[p].dim(1) != keys[p].dim(1))
                throw new IllegalArgumentException("pair " + p + ": " + queries[p].shape() + " x " + keys[p].shape()
                        + "^T does not match " + n + " x " + m);
        if (k < 1 || k > m) throw new IllegalArgumentException("top-" + k + " needs between 1 and " + m + " key rows");
        if (tileRows < 1) throw new IllegalArgumentException("tileRows " + tileRows);
        RowTiles[] tiles = new RowTiles[queries.length];
        for (int p = 0; p < tiles.length; p++) tiles[p] = new RowTiles(queries[p]);
        int[] out = new int[n * k];
        for (int lo = 0; lo < n; lo += tileRows) {
            int hi = Math.min(n, lo + tileRows);
            try (Scope tile = queries[0].backend().scope()) {
                searchTile(tiles, keys, k, lo, hi, out);
            }
        }
        return out;
    }

    /** Rows [lo, hi) of the queries: their scores against every key, then the backend's top-k. */
    private static void searchTile(RowTiles[] tiles, Tensor[] keys, int k, int lo, int hi, int[] out) {
        Tensor scores = null;
        for (int p = 0; p < tiles.length; p++) {
            try (Tensor tile = tiles[p].tile(lo, hi)) {
                Tensor s = tile.backend().matmul(keys[p], false, tile, true);
                if (scores == null) scores = s;
                else {
                    Tensor sum = scores.backend().add(scores, s);
                    scores.close();
                    s.close();
                    scores = sum;
                }
            }
        }
        TopK top;
        try (Tensor transposed = scores) {
            scores = transposed.backend().permute(transposed, new int[] {1, 0});
            top = scores.backend().topk(scores, k);
        }
        System.arraycopy(top.indices(), 0, out, lo * k, (hi - lo) * k);
        top.values().close();
        scores.close();
    }
}
