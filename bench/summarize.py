#!/usr/bin/env python3
"""Turns a JMH JSON result of this suite into the markdown tables of bench/results/*.md.

usage: python3 bench/summarize.py RESULT.json [--peak-gflops 294.4]

Every derived figure is computed from the JMH average time t of one operation (seconds):
  GEMM        GFLOP/s = 2 M N K / t
  depthwise   GFLOP/s = 2 * 49 * E / t,  E = N H W C (all 49 taps, padding included)
  streaming   GB/s    = compulsory bytes / t (4 bytes a float; formulas below and in each class's javadoc)
Comparisons are ratios between figures of the same run (same JSON file).
"""
import argparse
import json

UNIT_S = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def load(path):
    res = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2] + "." + name[-1],) + tuple(sorted(r.get("params", {}).items()))
        pm = r["primaryMetric"]
        f = UNIT_S[pm["scoreUnit"]]
        res[key] = (pm["score"] * f, pm["scoreError"] * f if pm["scoreError"] == pm["scoreError"] else 0.0,
                    pm["scoreUnit"])
    return res


def get(res, bench, **params):
    key = (bench,) + tuple(sorted((k, str(v)) for k, v in params.items()))
    return res[key]


def t_str(t, err):
    if t >= 1e-3:
        return f"{t * 1e3:.3f} ± {err * 1e3:.3f} ms"
    return f"{t * 1e6:.2f} ± {err * 1e6:.2f} µs"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("--peak-gflops", type=float, default=294.4)
    a = ap.parse_args()
    res = load(a.json)
    peak = a.peak_gflops

    def gemm_shape(s):
        if "x" in s:
            m, k, n = (int(v) for v in s.split(":")[0].split("x"))
            return m, k, n
        n = int(s)
        return n, n, n

    def memcpy_gbs(n, mode):
        t, _, _ = get(res, "MemcpyBaseline." + mode, n=n)
        return 8 * n / t / 1e9

    out = []
    p = out.append

    # ---- GEMM
    p("### GEMM: engine `matmul` (OpenBLAS sgemm, operands staged off-heap)\n")
    p(f"GFLOP/s = 2·M·N·K / t. Peak assumed {peak:.1f} GFLOP/s (see Machine).\n")
    p("| shape (M×K×N) | time/op | GFLOP/s | vs peak |")
    p("|---|---|---|---|")
    gemm = {}
    for s in ["256", "512", "1024", "2048", "36864x384x1536:T", "36864x1536x384:T"]:
        t, e, _ = get(res, "GemmBenchmark.matmul", shape=s)
        m, k, n = gemm_shape(s)
        g = 2 * m * n * k / t / 1e9
        gemm[s] = g
        label = f"{m}×{k}×{n}" + (" (x·Wᵀ)" if s.endswith(":T") else "")
        p(f"| {label} | {t_str(t, e)} | {g:.1f} | {g / peak:.2f} |")
    p("")

    # ---- storage choice
    p("### Storage choice at 1024³: where sgemm's operands live\n")
    n = 1024
    sc = {}
    for b in ["sgemmOffHeap", "sgemmHeapArrays", "engineStaged"]:
        t, e, _ = get(res, "StorageChoiceBenchmark." + b, n=n)
        sc[b] = (t, e, 2 * n ** 3 / t / 1e9)
    p("| path | time/op | GFLOP/s | vs off-heap | vs float[] | vs peak |")
    p("|---|---|---|---|---|---|")
    for b, label in [("sgemmOffHeap", "cblas_sgemm on off-heap FloatPointer"),
                     ("sgemmHeapArrays", "cblas_sgemm on float[] (JNI copies)"),
                     ("engineStaged", "engine matmul (float[] staged off-heap + output alloc)")]:
        t, e, g = sc[b]
        p(f"| {label} | {t_str(t, e)} | {g:.1f} | {g / sc['sgemmOffHeap'][2]:.2f} | "
          f"{g / sc['sgemmHeapArrays'][2]:.2f} | {g / peak:.2f} |")
    p("")

    # ---- naive
    p("### Plain Java sgemm at 256³ (one thread) vs the engine's matmul at 256³\n")
    p("| loop | time/op | GFLOP/s | vs engine matmul 256 |")
    p("|---|---|---|---|")
    for b, label in [("naiveIjk", "ijk (textbook, dot products)"),
                     ("naiveIkj", "ikj (row-streaming, auto-vectorised)")]:
        t, e, _ = get(res, "NaiveGemmBenchmark." + b, n=256)
        g = 2 * 256 ** 3 / t / 1e9
        p(f"| {label} | {t_str(t, e)} | {g:.2f} | {g / gemm['256']:.3f} (engine {gemm['256']:.1f} GFLOP/s) |")
    p("")

    # ---- element-wise storage
    p("### Element-wise y = x·s + t, one thread: heap float[] vs direct FloatBuffer\n")
    p("GB/s = 8·n / t (read x, write y). Ceiling: `System.arraycopy` of n floats, one thread.\n")
    p("| n floats | float[] | direct FloatBuffer | float[] / buffer | float[] vs arraycopy | buffer vs arraycopy |")
    p("|---|---|---|---|---|---|")
    for n in [65536, 16777216]:
        th, eh, _ = get(res, "ElementwiseStorageBenchmark.heapArray", n=n)
        tb, eb, _ = get(res, "ElementwiseStorageBenchmark.directBuffer", n=n)
        gh, gb, gm = 8 * n / th / 1e9, 8 * n / tb / 1e9, memcpy_gbs(n, "arraycopy")
        p(f"| {n} | {t_str(th, eh)} = {gh:.1f} GB/s | {t_str(tb, eb)} = {gb:.1f} GB/s | "
          f"{gh / gb:.2f} | {gh / gm:.2f} | {gb / gm:.2f} |")
    p("")

    # ---- memcpy
    p("### Memory copy baseline (GB/s = 8·n / t)\n")
    p("| n floats (MiB per array) | arraycopy, 1 thread | arraycopy, engine pool (2 threads) | "
      "clone (alloc + copy), 1 thread |")
    p("|---|---|---|---|")
    for n in [65536, 7077888, 16777216, 28311552]:
        cells = []
        for mode in ["arraycopy", "arraycopyParallel", "cloneArray"]:
            t, e, _ = get(res, "MemcpyBaseline." + mode, n=n)
            cells.append(f"{8 * n / t / 1e9:.1f} ({t_str(t, e)})")
        p(f"| {n} ({4 * n / 2 ** 20:.2f}) | " + " | ".join(cells) + " |")
    p("")

    # ---- streaming ops vs memcpy
    p("### Engine streaming ops vs memory copy of the same size (same run)\n")
    p("GB/s = compulsory bytes / t; ratio = op GB/s / arraycopy GB/s at the op's activation size "
      "(engine pool, 2 threads, the ceiling for these multi-threaded kernels; 1-thread ratio in brackets).\n")
    p("| op | bytes formula | time/op | GB/s | GFLOP/s | vs memcpy (2 thr) [1 thr] |")
    p("|---|---|---|---|---|---|")
    N, H, W, C = 8, 96, 96, 96
    E = N * H * W * C
    rows = N * H * W
    dw = [("DepthwiseConvBenchmark.forward", "dwconv 7×7 forward", 4 * (2 * E + 50 * C), "4(2E+50C)"),
          ("DepthwiseConvBenchmark.backwardInput", "dwconv 7×7 backward input", 4 * (2 * E + 49 * C), "4(2E+49C)"),
          ("DepthwiseConvBenchmark.backwardWeight", "dwconv 7×7 backward weight", 4 * (2 * E + 49 * C), "4(2E+49C)")]
    for b, label, byts, f in dw:
        t, e, _ = get(res, b, batch=N, size=H, channels=C)
        gbs, gfl = byts / t / 1e9, 2 * 49 * E / t / 1e9
        p(f"| {label} [8,96,96,96] | {f} | {t_str(t, e)} | {gbs:.2f} | {gfl:.2f} ({gfl / peak:.3f} of peak) | "
          f"{gbs / memcpy_gbs(E, 'arraycopyParallel'):.3f} [{gbs / memcpy_gbs(E, 'arraycopy'):.3f}] |")
    for b, label, byts, f in [("LayerNormBenchmark.forward", "LayerNorm forward",
                               4 * (2 * E + 2 * rows + 2 * C), "4(2E+2R+2C)"),
                              ("LayerNormBenchmark.backward", "LayerNorm backward",
                               4 * (3 * E + 2 * rows + 3 * C), "4(3E+2R+3C)")]:
        t, e, _ = get(res, b, rows=rows, channels=C)
        gbs = byts / t / 1e9
        p(f"| {label} [73728,96] | {f} | {t_str(t, e)} | {gbs:.2f} | – | "
          f"{gbs / memcpy_gbs(E, 'arraycopyParallel'):.3f} [{gbs / memcpy_gbs(E, 'arraycopy'):.3f}] |")
    for n in [7077888, 28311552]:
        for b, label, mult in [("GeluBenchmark.forward", "GELU forward", 8),
                               ("GeluBenchmark.backward", "GELU backward", 12)]:
            t, e, _ = get(res, b, n=n)
            gbs = mult * n / t / 1e9
            p(f"| {label} n={n} | {mult}n | {t_str(t, e)} | {gbs:.2f} | – | "
              f"{gbs / memcpy_gbs(n, 'arraycopyParallel'):.3f} [{gbs / memcpy_gbs(n, 'arraycopy'):.3f}] |")
    p("")
    p("E = 8·96·96·96 = 7,077,888 elements, R = 73,728 rows, C = 96. ± is JMH's 99.9% confidence half-width.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
