package dev.uvgl.data.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The PK sampler of dmnil.md section 1, as the reference runs it. One pass visits the pseudo
 * identities (label -1 excluded) in random order; for each it takes an anchor member uniformly,
 * then `instances - 1` more from its other members: without replacement when there are at least
 * `instances` others, with replacement when there are fewer, none when there are none (the anchor
 * goes alone, so later batches no longer align to identities x instances). The pass is cut into
 * batches of `batchSize`, the last partial batch dropped; a new pass starts when one runs out.
 */
public final class PkSampler {
    private final List<int[]> members = new ArrayList<>();
    private final int instances, batchSize;
    private final SplittableRandom rnd;
    private int[] pass = new int[0];
    private int cursor;

    public PkSampler(int[] labels, int instances, int batchSize, long seed) {
        if (instances < 1 || batchSize < 1)
            throw new IllegalArgumentException("instances and batch size must be positive");
        Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++)
            if (labels[i] != -1) byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        byLabel.keySet().stream().sorted()
                .forEach(k -> members.add(byLabel.get(k).stream().mapToInt(Integer::intValue).toArray()));
        this.instances = instances;
        this.batchSize = batchSize;
        this.rnd = new SplittableRandom(seed);
        if (members.isEmpty()) throw new IllegalArgumentException("no pseudo identity to sample: every label is -1");
    }

    public int identities() { return members.size(); }

    /** The next batch of row indices; starts new passes as needed. */
    public int[] next() {
        if (pass.length - cursor < batchSize) {
            // What is left of the pass is its partial last batch: dropped, not carried into the next pass.
            pass = newPass();
            cursor = 0;
            // Few clusters (early epochs from scratch) can make one pass shorter than a batch, where the
            // reference's loader would yield no batch at all: passes are chained until one batch fills.
            while (pass.length < batchSize) {
                int[] more = newPass(), joined = java.util.Arrays.copyOf(pass, pass.length + more.length);
                System.arraycopy(more, 0, joined, pass.length, more.length);
                pass = joined;
            }
        }
        int[] batch = java.util.Arrays.copyOfRange(pass, cursor, cursor + batchSize);
        cursor += batchSize;
        return batch;
    }

    /** `iters` batches: one epoch. */
    public List<int[]> epoch(int iters) {
        List<int[]> out = new ArrayList<>(iters);
        for (int i = 0; i < iters; i++) out.add(next());
        return out;
    }

    int[] newPass() {
        int n = members.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Integer> out = new ArrayList<>();
        for (int id : order) {
            int[] m = members.get(id);
            int anchorPos = rnd.nextInt(m.length);
            out.add(m[anchorPos]);
            int[] others = new int[m.length - 1];
            for (int i = 0, k = 0; i < m.length; i++) if (i != anchorPos) others[k++] = m[i];
            if (others.length == 0) continue;
            if (others.length >= instances) {
                for (int i = 0; i < instances - 1; i++) { // partial Fisher-Yates: distinct picks
                    int j = i + rnd.nextInt(others.length - i), t = others[i];
                    others[i] = others[j];
                    others[j] = t;
                    out.add(others[i]);
                }
            } else {
                for (int i = 0; i < instances - 1; i++) out.add(others[rnd.nextInt(others.length)]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
