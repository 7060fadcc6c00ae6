#!/usr/bin/env python3
"""The speed issue's fixed-key summary of a GPU call: reads the section logs gpu-validate.sh wrote (a folder, or its
gpu-validate-logs.tar.gz) and prints one JSON object with `device`, `driver`, `commit` and

  train_step_img_s: engine_bf16, engine_fp32, torch_eager_fp32, torch_amp_bf16
  dmnil_iteration_s, pseudo_labels_s
  gemm_bf16_fraction_of_torch: {shape: engine GFLOP/s / torch bf16 GFLOP/s}
  memory_bound_fraction_of_copy: {op: fraction of the device-to-device copy's GB/s}
  peak_device_bytes: engine, torch_amp

A figure the logs do not hold is null. gpu-validate.sh writes it as $OUT/gpu-speed.json when a speed section ran.
Usage: speed_json.py LOGS [--device D] [--driver V] [--commit C]
"""
import argparse
import io
import json
import os
import re
import sys
import tarfile


def read_logs(where):
    """{section name: log text} from a logs folder or the call's archive."""
    logs = {}
    if os.path.isdir(where):
        for name in os.listdir(where):
            if name.endswith(".log"):
                with open(os.path.join(where, name), errors="replace") as f:
                    logs[name[:-4]] = f.read()
        return logs
    with tarfile.open(where) as tar:
        for m in tar.getmembers():
            if m.isfile() and m.name.endswith(".log"):
                text = io.TextIOWrapper(tar.extractfile(m), errors="replace").read()
                logs[os.path.basename(m.name)[:-4]] = text
    return logs


def best(pattern, text, group=1):
    values = [float(m.group(group)) for m in re.finditer(pattern, text or "")]
    return max(values) if values else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs")
    ap.add_argument("--device")
    ap.add_argument("--driver")
    ap.add_argument("--commit")
    a = ap.parse_args()
    logs = read_logs(a.logs)
    bf16, fp32 = logs.get("train-step-bf16"), logs.get("train-step-fp32")
    engine_line = r"(?m)^engine +.*? \d+px batch \d+, {}: ([\d.]+) img/s"
    torch_line = r"\[torch\] torch .*{}.*: [\d.]+ s/step, ([\d.]+) img/s"
    gemm = best(r"gemm_bf16 (\d+)x\1x\1 on cuda: [\d.]+ ms, ([\d.]+) GFLOP/s", logs.get("bench-kernels"), 2)
    n = re.search(r"gemm_bf16 (\d+)x", logs.get("bench-kernels") or "")
    torch_bf16 = best(r"matmul (\d+)\^3 bfloat16: [\d.]+ ms, ([\d.]+) TFLOP/s", logs.get("torch-matmul"), 2)
    fractions = {}
    for m in re.finditer(r"(?m)^(\S[^\n]*?) +[\d.]+ +[\d.]+ +(\d+)%  uvgl", logs.get("bench-kernels") or ""):
        fractions[m.group(1).strip()] = int(m.group(2)) / 100
    peak_mb = best(r"\(peak ([\d.]+) MB\)", bf16)
    summary = {
        "device": a.device,
        "driver": a.driver,
        "commit": a.commit,
        "train_step_img_s": {
            "engine_bf16": best(engine_line.format("bf16"), bf16),
            "engine_fp32": best(engine_line.format("fp32"), fp32),
            "torch_eager_fp32": best(torch_line.format("eager FP32"), bf16),
            "torch_amp_bf16": best(torch_line.format("AMP BF16"), bf16),
        },
        "dmnil_iteration_s": None,
        "pseudo_labels_s": None,
        "gemm_bf16_fraction_of_torch": ({f"{n.group(1)}^3": round(gemm / (torch_bf16 * 1e3), 4)}
                                        if gemm and torch_bf16 and n else {}),
        "memory_bound_fraction_of_copy": fractions,
        "peak_device_bytes": {
            "engine": int(peak_mb * 1e6) if peak_mb else None,
            "torch_amp": (lambda v: int(v) if v else None)(best(r"peak (\d+) B\) AMP BF16", bf16)),
        },
    }
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
