#!/usr/bin/env python3
"""Compares two runs of the same `train` command on different devices (metrics.jsonl of each), as TrainOnEmuTest
does for the emulated device: every epoch must have the same cluster and outlier counts and the same loss terms, each
within --bound of the reference run relative to max(|reference|, 1e-3). Prints the worst relative difference; exit 1
on any mismatch, naming the epoch and the term."""
import argparse
import json
import sys


def epochs(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("reference", help="metrics.jsonl of the reference run (the CPU)")
    ap.add_argument("other", help="metrics.jsonl of the run to check (the GPU)")
    ap.add_argument("--bound", type=float, default=1e-4)
    a = ap.parse_args()
    ref, other = epochs(a.reference), epochs(a.other)
    problems, worst, where = [], 0.0, ""
    if len(ref) != len(other):
        problems.append(f"{len(ref)} lines in the reference, {len(other)} in the other run")
    for i, (r, o) in enumerate(zip(ref, other)):
        label = f"line {i + 1} (epoch {r.get('epoch', '?')})"
        for key in ("clusters", "outliers"):
            if r.get(key) != o.get(key):
                problems.append(f"{label}: {key} {r.get(key)} vs {o.get(key)}")
        lr, lo = r.get("loss") or {}, o.get("loss") or {}
        if sorted(lr) != sorted(lo):
            problems.append(f"{label}: loss terms {sorted(lr)} vs {sorted(lo)}")
        for k in lr:
            if k not in lo:
                continue
            rel = abs(lr[k] - lo[k]) / max(abs(lr[k]), 1e-3)
            if rel > worst:
                worst, where = rel, f"{label} {k}: {lr[k]} vs {lo[k]}"
            if not rel <= a.bound:
                problems.append(f"{label} {k}: {lr[k]} vs {lo[k]} (relative {rel:.3g} > {a.bound:g})")
    print(f"worst relative loss-term difference {worst:.3g} (bound {a.bound:g}){': ' + where if where else ''}")
    for p in problems:
        print("FAIL " + p)
    if not ref:
        print("FAIL the reference run logged no epoch")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
