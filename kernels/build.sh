#!/usr/bin/env bash
# Called by Maven (generate-resources): builds the fatbins into the jar's resources when nvcc is here.
# Usage: build.sh BUILD_DIR OUT_DIR
set -euo pipefail
build_dir=$1 out_dir=$2
src_dir=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v nvcc >/dev/null 2>&1; then
  echo "[uvgl] nvcc not found on PATH: building the CPU-only engine (engine.jar will carry no CUDA kernels)"
  exit 0
fi
if ! command -v cmake >/dev/null 2>&1; then
  echo "[uvgl] cmake not found on PATH: building the CPU-only engine (install cmake >= 3.25 to build the CUDA kernels)"
  exit 0
fi
cmake -S "$src_dir" -B "$build_dir" -DUVGL_KERNEL_OUT="$out_dir" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# The engine finds its kernels through this index (a jar cannot be listed portably).
(cd "$out_dir" && ls *.fatbin | sed 's/\.fatbin$//' > index.txt)
echo "[uvgl] CUDA kernels built with $(nvcc --version | tail -1): $(ls "$out_dir"/*.fatbin | wc -l) fatbins in the jar"
