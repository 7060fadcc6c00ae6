#!/usr/bin/env python3
"""Dense reference for the k-reciprocal Jaccard distance (dmnil.md section 6) and scikit-learn's DBSCAN.

Run: /usr/bin/python3 java/src/test/python/make_cluster_fixtures.py   (numpy + scikit-learn from Debian)
Writes java/src/test/resources/fixtures/cluster/<name>.{features,labels,rows,dist}.npy, read by
KReciprocalClusteringTest. Written from the specification, dense N x N on purpose (the engine is sparse).
Also usable as the dense side of `bench cluster`: `make_cluster_fixtures.py --time FEATURES.npy`.
"""
import os
import sys
import time
import numpy as np
from sklearn.cluster import DBSCAN

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "cluster")


def knn_lists(x, k1):
    """L(i): the k1 nearest rows by squared distance 2 - 2 x.x, ties to the lower index. Distances are
    computed between distinct rows so bit-identical rows get identical distances."""
    uniq, inverse = np.unique(x, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    du = 2.0 - 2.0 * (uniq.astype(np.float64) @ uniq.astype(np.float64).T)
    dist = du[inverse][:, inverse]
    n = x.shape[0]
    order = np.lexsort((np.broadcast_to(np.arange(n), (n, n)), dist), axis=1)
    return order[:, :k1], dist


def k_reciprocal(lists, i, k, k1):
    m = min(k + 1, k1)
    forward = lists[i, :m]
    return np.array([c for c in forward if i in lists[c, :m]], dtype=np.int64)


def jaccard_dense(x, k1=30, k2=6):
    n = x.shape[0]
    lists, dist = knn_lists(x, k1)
    half = int(np.around(k1 / 2))
    v = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        r = k_reciprocal(lists, i, k1, k1)
        expanded = list(r)
        for c in r:
            rc = k_reciprocal(lists, c, half, k1)
            if len(np.intersect1d(rc, r)) > 2.0 / 3.0 * len(rc):
                expanded.extend(rc)
        expanded = np.unique(np.array(expanded, dtype=np.int64))
        w = np.exp(-dist[i, expanded])
        v[i, expanded] = w / w.sum()
    if k2 != 1:
        v = np.stack([v[lists[i, :k2]].mean(axis=0) for i in range(n)])
    jac = np.ones((n, n), dtype=np.float64)
    for i in range(n):
        m = np.minimum(v[i][None, :], v).sum(axis=1)
        jac[i] = 1.0 - m / (2.0 - m)
    return np.maximum(jac, 0.0)


def mixture(seed, clusters, per, dim, spread, outliers, copies=1):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim))
    pts = [c + spread * rng.standard_normal((per, dim)) for c in centres]
    pts.append(rng.standard_normal((outliers, dim)) * 3)
    x = np.concatenate(pts)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    if copies > 1:
        x = np.repeat(x, copies, axis=0)
    x = x[rng.permutation(len(x))]
    return x.astype(np.float32)


def write(name, x, eps, k1=30, k2=6, min_samples=4):
    xn = x / np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    jac = jaccard_dense(xn.astype(np.float32), k1, k2)
    labels = DBSCAN(eps=eps, min_samples=min_samples, metric="precomputed").fit_predict(jac)
    rows = np.random.default_rng(0).choice(len(x), size=min(12, len(x)), replace=False).astype(np.int64)
    np.save(os.path.join(OUT, name + ".features.npy"), x)
    np.save(os.path.join(OUT, name + ".labels.npy"), labels.astype(np.int64))
    np.save(os.path.join(OUT, name + ".rows.npy"), rows)
    np.save(os.path.join(OUT, name + ".dist.npy"), jac[rows].astype(np.float32))
    c = labels.max() + 1
    print(f"{name}: n={len(x)} eps={eps} clusters={c} noise={(labels == -1).sum()}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--time":
        x = np.load(sys.argv[2]).astype(np.float32)
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        t = time.time()
        jac = jaccard_dense(x)
        labels = DBSCAN(eps=0.4, min_samples=4, metric="precomputed").fit_predict(jac)
        print(f"dense seconds {time.time() - t:.2f} clusters {labels.max() + 1} noise {(labels == -1).sum()}")
        return
    os.makedirs(OUT, exist_ok=True)
    write("mixture_eps04", mixture(1, 12, 40, 32, 0.35, 60), 0.4)
    write("mixture_eps03", mixture(2, 20, 30, 32, 0.3, 40), 0.3)
    write("many_outliers", mixture(3, 4, 20, 32, 0.3, 400), 0.4)
    write("single_cluster", mixture(4, 1, 45, 32, 0.05, 0), 0.4)
    write("no_cluster", mixture(5, 0, 0, 32, 0.0, 300), 0.3)
    # the satellite view: tiles replicated 49 times (bit-identical rows), plus a few unique ones
    write("replicated_tiles", mixture(6, 20, 1, 32, 0.0, 10, copies=49), 0.3)


if __name__ == "__main__":
    main()
