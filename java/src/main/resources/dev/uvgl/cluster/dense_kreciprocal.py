#!/usr/bin/env python3
"""Dense k-reciprocal Jaccard distance + scikit-learn DBSCAN: the engine's peer reference.

Follows ../shared/spec/dmnil.md section 6 (Zhong et al., CVPR 2017, as the DMNIL authors run it)
with N x N matrices, the way the authors' reference holds V and the distance. Written for this
project from the spec; it is the comparison that `bench cluster` times and the source of the
parity fixtures (java/src/test/python/make_cluster_fixtures.py).

Two precisions:
  float64  exact semantics, for fixtures: dot products are taken between distinct rows only and
           mapped back to every copy, so bit-identical rows get bit-identical distances, and the
           neighbour lists are ordered by (distance, index) with a stable sort.
  float32  the reference's working precision (its V and distance are float32), for timing.

As a command (used by `bench cluster`): reads features, writes labels, prints one JSON line with
the timings and this process's peak resident memory.
"""
import argparse
import json
import resource
import sys
import time

import numpy as np


def l2_normalise(x):
    """Rows divided by their norm (float64 arithmetic), rounded to float32, as the engine does."""
    x64 = x.astype(np.float64)
    norms = np.sqrt((x64 * x64).sum(axis=1, keepdims=True))
    if np.any(norms == 0):
        raise ValueError("a feature row is all zeros")
    return (x64 / norms).astype(np.float32)


def identical_groups(x32):
    """inverse[i] = the group of row i; groups numbered by their first row, in row order."""
    rows = np.ascontiguousarray(x32).view(np.dtype((np.void, x32.dtype.itemsize * x32.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse.ravel()]


class Dots:
    """x_i . x_j. In float64 every product is taken once between distinct rows (a U x U matrix over the
    U distinct rows) and mapped back to every copy, so bit-identical rows get bit-identical values."""

    def __init__(self, x32, dtype):
        if dtype == np.float64:
            firsts, self.group = identical_groups(x32)
            unique = x32[firsts].astype(np.float64)
            self.gram = unique @ unique.T
            self.x = None
        else:
            self.x = x32

    def block(self, rows, cols=None):
        """Dot products of `rows` (indices) against `cols` (indices, default every row)."""
        if self.x is not None:
            return self.x[rows] @ (self.x.T if cols is None else self.x[cols].T)
        g = self.gram[self.group[rows]]
        return g[:, self.group] if cols is None else g[:, self.group[cols]]


def knn_lists(dots, n, k1, block=1024):
    """L(i): the k1 nearest rows of each row, ordered by (distance, index). [N, k1] int64."""
    out = np.empty((n, k1), dtype=np.int64)
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        dist = 2 - 2 * dots.block(np.arange(lo, hi))
        kth = np.partition(dist, k1 - 1, axis=1)[:, k1 - 1]
        for r in range(hi - lo):
            cand = np.nonzero(dist[r] <= kth[r])[0]          # every tie with the k1-th, ascending index
            order = np.argsort(dist[r, cand], kind="stable")  # stable: equal distances keep index order
            out[lo + r] = cand[order[:k1]]
    return out


def reciprocal(lists, i, k):
    """R(i, k): the first min(k+1, k1) entries of L(i) that have i among their own first as many."""
    head = lists[i, :k + 1]
    back = lists[head, :k + 1]
    return head[np.any(back == i, axis=1)]


def v_rows(x32, dots, lists, k1, dtype):
    n = len(lists)
    v = np.zeros((n, n), dtype=dtype)
    half = int(np.around(k1 / 2))  # numpy's around: round half to even
    for i in range(n):
        r = reciprocal(lists, i, k1)
        expanded = [r]
        for c in r:
            rc = reciprocal(lists, c, half)
            if len(np.intersect1d(rc, r)) > 2 / 3 * len(rc):
                expanded.append(rc)
        e = np.unique(np.concatenate(expanded))
        if len(e) == 0:
            continue  # a copy beyond every list's k1-th entry: its row stays zero until query expansion
        d = (2 - 2 * dots.block(np.array([i]), e)[0]).astype(dtype)
        w = np.exp(-d - np.max(-d))
        v[i, e] = w / w.sum()
    return v


def query_expansion(v, lists, k2):
    if k2 == 1:
        return v  # as the reference: k2 = 1 means no query expansion
    out = np.zeros_like(v)
    for i in range(len(v)):
        out[i] = np.mean(v[lists[i, :k2]], axis=0)
    return out


def jaccard(v, want_shares):
    """d(i, j) = 1 - m / (2 - m), m = sum_k min(V[i,k], V[j,k]), via an inverted index; clamped at 0.
    Also returns m > 0 (the pairs that share a non-zero), which the engine stores."""
    n = len(v)
    rows, cols = np.nonzero(v)
    by_col = np.argsort(cols, kind="stable")
    inverted = np.split(rows[by_col], np.searchsorted(cols[by_col], np.arange(1, n)))
    dist = np.zeros((n, n), dtype=v.dtype)
    shares = np.zeros((n, n), dtype=bool) if want_shares else None
    for i in range(n):
        m = np.zeros(n, dtype=v.dtype)
        for k in np.nonzero(v[i])[0]:
            rows = inverted[k]
            m[rows] += np.minimum(v[i, k], v[rows, k])
        dist[i] = 1 - m / (2 - m)
        if want_shares:
            shares[i] = m > 0
    np.maximum(dist, 0, out=dist)
    return dist, shares


def kreciprocal_jaccard(features, k1=30, k2=6, dtype=np.float64, timings=None):
    """Returns (dense distance [N,N], shares-a-non-zero mask (float64 only, else None), neighbour lists)."""
    t0 = time.perf_counter()
    x32 = l2_normalise(features)
    if len(x32) <= k1:
        raise ValueError(f"{len(x32)} rows, k1 = {k1} needs more than k1 rows")
    dots = Dots(x32, dtype)
    lists = knn_lists(dots, len(x32), k1)
    t1 = time.perf_counter()
    v = query_expansion(v_rows(x32, dots, lists, k1, dtype), lists, k2)
    dist, shares = jaccard(v, dtype == np.float64)
    if timings is not None:
        timings["knn_s"] = t1 - t0
        timings["jaccard_s"] = time.perf_counter() - t1
    return dist, shares, lists


def dbscan(dist, eps, min_samples):
    from sklearn.cluster import DBSCAN
    return DBSCAN(eps=eps, min_samples=min_samples, metric="precomputed", n_jobs=-1).fit_predict(dist)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--features", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--k1", type=int, default=30)
    p.add_argument("--k2", type=int, default=6)
    p.add_argument("--eps", type=float, default=0.4)
    p.add_argument("--min-samples", type=int, default=4)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    a = p.parse_args()
    features = np.load(a.features)
    t0 = time.perf_counter()
    timings = {}
    dist, _, _ = kreciprocal_jaccard(features, a.k1, a.k2, np.dtype(a.dtype).type, timings)
    t1 = time.perf_counter()
    labels = dbscan(dist, a.eps, a.min_samples)
    t2 = time.perf_counter()
    np.save(a.out, labels.astype(np.int64))
    timings.update(total_s=t2 - t0, dbscan_s=t2 - t1,
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                   clusters=int(labels.max() + 1), noise=int((labels == -1).sum()))
    print(json.dumps(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
