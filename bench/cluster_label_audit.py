#!/usr/bin/env python3
"""Which rows get another label from the engine than from the dense float64 reference, and why.

Reads the files `bench cluster --keep DIR` writes (features-N.npy, engine-N.npy), runs the dense float64
reference (java/src/main/resources/dev/uvgl/cluster/dense_kreciprocal.py, exact semantics) and
scikit-learn's DBSCAN on it, and for every disagreeing row reports the two candidate causes:
  - a distance on the eps boundary: the engine compares float32(d) <= float32(eps), as the authors'
    float32 distance is compared; the float64 reference compares d <= eps in float64, so a pair with
    d in (eps, float32 boundary] is a neighbour for one and not the other;
  - a kNN near-tie: the k1-th and (k1+1)-th float64 scores closer than 1e-12.
Also counts, over every pair, the distances inside that boundary window, and, given the engine's own
distances (DIR/engine-N-{i,j,d}.npy from the test class dev.uvgl.cluster.DistanceDump), the largest
difference between the engine's float32-V distance and the float64 one, and the pairs on different sides
of eps: the bound on which pairs the two can see differently. Prints a markdown report on stdout. Needs
about 11 GB at N = 20,000.
Usage: python3 bench/cluster_label_audit.py --dir DIR --n 20000 [--eps 0.4]
"""
import argparse
import importlib.util
import os
import sys
import time

import numpy as np


def load_reference():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "java", "src", "main", "resources", "dev", "uvgl", "cluster",
                        "dense_kreciprocal.py")
    spec = importlib.util.spec_from_file_location("dense_kreciprocal", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def disagreeing(a, b):
    """Rows whose labels differ beyond a renaming (LabelAgreement.disagreeing in the engine)."""
    major = {}
    for la in np.unique(a[a >= 0]):
        vals, counts = np.unique(b[a == la], return_counts=True)
        best = counts.max()
        major[la] = vals[counts == best].min()
    out = [i for i in range(len(a)) if (a[i] < 0) != (b[i] < 0) or (a[i] >= 0 and major[a[i]] != b[i])]
    return np.array(out, dtype=np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--eps", type=float, default=0.4)
    p.add_argument("--k1", type=int, default=30)
    p.add_argument("--k2", type=int, default=6)
    p.add_argument("--min-samples", type=int, default=4)
    a = p.parse_args()
    ref = load_reference()
    x = np.load(os.path.join(a.dir, f"features-{a.n}.npy"))
    engine = np.load(os.path.join(a.dir, f"engine-{a.n}.npy"))
    t0 = time.perf_counter()
    dist, _, lists = ref.kreciprocal_jaccard(x, a.k1, a.k2, np.float64)
    labels = ref.dbscan(dist, a.eps, a.min_samples)
    t1 = time.perf_counter()
    np.save(os.path.join(a.dir, f"reference64-{a.n}.npy"), labels.astype(np.int64))
    eps32 = float(np.float32(a.eps))
    # Largest float64 that rounds to a float32 <= eps32: halfway to the next float32, ties to even.
    upper = (eps32 + float(np.nextafter(np.float32(a.eps), np.float32(1)))) / 2
    window = (dist > a.eps) & (dist <= upper)
    wi, wj = np.nonzero(np.triu(window, 1))
    rows = disagreeing(engine, labels)
    print(f"# Cluster labels: engine vs dense float64 reference, N = {a.n}\n")
    print(f"- reference: {t1 - t0:.1f} s, {labels.max() + 1} clusters, {(labels == -1).sum()} noise; "
          f"engine: {engine.max() + 1} clusters, {(engine == -1).sum()} noise")
    print(f"- rows that disagree beyond renaming: {len(rows)} {list(rows[:20])}")
    print(f"- pairs with float64 distance in (eps, {upper:.12f}] (neighbours in float32, not in float64): {len(wi)}")
    for i, j in zip(wi[:20], wj[:20]):
        print(f"  - ({i}, {j}): d64 = {dist[i, j]:.15f}, float32 {np.float32(dist[i, j]):.9f}; labels engine "
              f"{engine[i]}/{engine[j]}, reference {labels[i]}/{labels[j]}")
    dump = os.path.join(a.dir, f"engine-{a.n}")
    if os.path.exists(dump + "-d.npy"):
        ei, ej, ed = np.load(dump + "-i.npy"), np.load(dump + "-j.npy"), np.load(dump + "-d.npy")
        d64 = dist[ei, ej]
        diff = np.abs(ed.astype(np.float64) - d64)
        side = (ed <= np.float32(a.eps)) != (d64 <= a.eps)
        near = np.abs(d64 - a.eps)
        print(f"- engine distances (float32 V, float32 result) vs float64: {len(ed)} pairs with d <= 0.41; "
              f"max |d - d64| {diff.max():.3e}, mean {diff.mean():.3e}; "
              f"pairs on different sides of eps: {int(side.sum())}; "
              f"pairs with |d64 - eps| < 1e-6: {int((near < 1e-6).sum())}, < 1e-7: {int((near < 1e-7).sum())}")
        missing = int(((dist <= 0.41) & np.triu(np.ones_like(dist, dtype=bool), 1)).sum()) - len(ed)
        print(f"- pairs with d64 <= 0.41 that the engine did not store: {missing}")
        for t in np.nonzero(side)[0][:20]:
            print(f"  - ({ei[t]}, {ej[t]}): engine {ed[t]:.9f}, float64 {d64[t]:.15f}")
    g = ref.Dots(ref.l2_normalise(x), np.float64)
    for i in rows[:20]:
        d = dist[i]
        near = np.sort(np.abs(d - a.eps))[:3]
        s = np.sort(g.block(np.array([i]))[0])[::-1]
        gap = s[a.k1 - 1] - s[a.k1]
        core = int((d <= a.eps).sum())
        print(f"- row {i}: engine {engine[i]}, reference {labels[i]}; "
              f"{core} rows within eps (core at {a.min_samples}); "
              f"closest |d - eps| {near.tolist()}; k1-th vs next score gap {gap:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
