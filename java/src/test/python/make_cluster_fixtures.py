#!/usr/bin/env python3
"""Parity fixtures for dev.uvgl.cluster: dense k-reciprocal Jaccard (float64, dmnil.md section 6) and
scikit-learn's DBSCAN(metric='precomputed') on small feature sets. Run from the repository root:

    /usr/bin/python3 java/src/test/python/make_cluster_fixtures.py

Writes java/src/test/resources/fixtures/cluster/<name>/ :
  features.npy        raw float32 rows (not normalised: the engine normalises them)
  knn.npy             L(i), flattened [N * k1], int64
  shared_count.npy    per row, how many j share a non-zero V column with it (the pairs the engine stores)
  shared_mean.npy     per row, the mean distance over those pairs, float32 [N, 1]
  pair_i/j.npy, pair_d.npy   a sample of pairs (half sharing, half uniform) and their dense distance
  labels_eps<e>.npy   sklearn DBSCAN labels for eps 0.40 and 0.30 (min_samples 4)

Every fixture is checked for margins that float rounding could cross (different rows at a distance
within 1e-9 of each other around a neighbour-list cut, a distance within 1e-6 of an eps); a
generation that has one is redrawn with the next seed, so the parity the tests assert is exact.
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "main", "resources", "dev", "uvgl", "cluster"))
import dense_kreciprocal as ref  # noqa: E402

OUT = os.path.join(HERE, "..", "resources", "fixtures", "cluster")
K1, K2, MIN_SAMPLES, EPS = 30, 6, 4, (0.40, 0.30)


def sphere(rng, n, d):
    g = rng.standard_normal((n, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def mixture(rng, d, sizes, sigma, outliers):
    centres = sphere(rng, len(sizes), d)
    parts = [c + sigma * rng.standard_normal((s, d)) / np.sqrt(d) for c, s in zip(centres, sizes)]
    parts.append(sphere(rng, outliers, d))
    x = np.concatenate(parts)
    x *= rng.uniform(0.5, 3.0, (len(x), 1))  # unnormalised, as raw embeddings are
    return x[rng.permutation(len(x))]


def tiles(rng, d, n_tiles, copies, drones):
    """The satellite view: each tile replicated `copies` times bit for bit, plus noisy drone-like views."""
    t = (sphere(rng, n_tiles, d) * rng.uniform(0.5, 3.0, (n_tiles, 1))).astype(np.float32)
    reps = np.repeat(t, copies, axis=0)
    near = t[rng.integers(0, n_tiles, drones)] + 0.5 * rng.standard_normal((drones, d)).astype(np.float32) / np.sqrt(d)
    x = np.concatenate([reps, near])
    return x[rng.permutation(len(x))]


FIXTURES = {
    # name: (draw(rng) -> features, description)
    "mixture_600": lambda rng: mixture(rng, 32, rng.integers(30, 60, 12), 0.6, 60),
    "outliers_800": lambda rng: mixture(rng, 32, rng.integers(20, 50, 10), 0.5, 450),
    "single_300": lambda rng: mixture(rng, 32, [45], 0.5, 255),
    "none_300": lambda rng: sphere(rng, 300, 32),
    "tiles_2000": lambda rng: tiles(rng, 64, 36, 49, 2000 - 36 * 49),
}


def margin_problem(knn_dist, group, dist):
    """Why float rounding could change this fixture's answer, or None."""
    for i in range(len(knn_dist)):
        order = np.argsort(knn_dist[i], kind="stable")[:K1 + 1]
        d, g = knn_dist[i, order], group[order]
        for a in range(len(order) - 1):
            if g[a] != g[a + 1] and abs(d[a + 1] - d[a]) < 1e-9:
                return f"row {i}: rows {order[a]} and {order[a + 1]} at distances {d[a]!r}, {d[a + 1]!r}"
    for eps in EPS:
        if (np.abs(dist - eps) < 1e-6).any():
            return f"a distance within 1e-6 of eps {eps}"
    return None


def make(name, draw, seed):
    for attempt in range(20):
        rng = np.random.default_rng(seed + attempt)
        x = draw(rng).astype(np.float32)
        xn = ref.l2_normalise(x)
        knn_dist = 2 - 2 * ref.Dots(xn, np.float64).block(np.arange(len(x)))
        dist, shares, lists = ref.kreciprocal_jaccard(x, K1, K2, np.float64)
        problem = margin_problem(knn_dist, ref.identical_groups(xn)[1], dist)
        if problem is None:
            break
        print(f"{name}: seed {seed + attempt} redrawn ({problem})")
    else:
        raise SystemExit(f"{name}: no draw without a rounding-sensitive margin")
    labels = {eps: ref.dbscan(dist, eps, MIN_SAMPLES) for eps in EPS}

    out = os.path.join(OUT, name)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "features.npy"), x)
    np.save(os.path.join(out, "knn.npy"), lists.reshape(-1).astype(np.int64))
    counts = shares.sum(axis=1)
    means = np.where(shares, dist, 0).sum(axis=1) / np.maximum(counts, 1)
    np.save(os.path.join(out, "shared_count.npy"), counts.astype(np.int64))
    np.save(os.path.join(out, "shared_mean.npy"), means.astype(np.float32).reshape(-1, 1))
    si, sj = np.nonzero(shares)
    pick = rng.choice(len(si), min(2000, len(si)), replace=False)
    ui, uj = rng.integers(0, len(x), 2000), rng.integers(0, len(x), 2000)
    pi, pj = np.concatenate([si[pick], ui]), np.concatenate([sj[pick], uj])
    np.save(os.path.join(out, "pair_i.npy"), pi.astype(np.int64))
    np.save(os.path.join(out, "pair_j.npy"), pj.astype(np.int64))
    np.save(os.path.join(out, "pair_d.npy"), dist[pi, pj].astype(np.float32).reshape(-1, 1))
    for eps, lab in labels.items():
        np.save(os.path.join(out, f"labels_eps{eps:.2f}.npy"), lab.astype(np.int64))
    summary = ", ".join(f"eps {eps}: {lab.max() + 1} clusters, {(lab == -1).sum()} noise"
                        for eps, lab in labels.items())
    print(f"{name}: N={len(x)} D={x.shape[1]} seed {seed + attempt}, {shares.sum()} stored pairs; {summary}")


def main():
    for n, (name, draw) in enumerate(FIXTURES.items()):
        make(name, draw, 1000 * (n + 1))


if __name__ == "__main__":
    main()
