#!/usr/bin/env python3
"""The matmul ceiling gpu-validate.sh compares the engine's GEMM with: an N x N x N product through
PyTorch (cuBLAS on a GPU) in FP32 (TF32 off, as the engine's FP32 path) and BF16, TFLOP/s of each.
Never a test dependency."""
import argparse
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=8192)
    ap.add_argument("--device", default="cuda", choices=["cpu", "cuda"])
    ap.add_argument("--reps", type=int, default=10)
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    for dtype in (torch.float32, torch.bfloat16):
        x = torch.randn(a.n, a.n, device=a.device, dtype=dtype)
        y = torch.randn(a.n, a.n, device=a.device, dtype=dtype)
        (x @ y).sum().item()
        if a.device == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(a.reps):
            z = x @ y
        if a.device == "cuda":
            torch.cuda.synchronize()
        dt = (time.perf_counter() - t0) / a.reps
        print(f"torch {torch.__version__} {a.device} matmul {a.n}^3 {str(dtype).replace('torch.', '')}: "
              f"{dt * 1e3:.3f} ms, {2 * a.n ** 3 / dt / 1e12:.2f} TFLOP/s")
        del z


if __name__ == "__main__":
    main()
