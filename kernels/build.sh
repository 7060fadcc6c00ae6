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
# jni.h for the emulated device's JNI library: the JDK running Maven has it.
jni_include=${JAVA_HOME:+$JAVA_HOME/include}
if [ -z "$jni_include" ] || [ ! -f "$jni_include/jni.h" ]; then
  javac_path=$(command -v javac || true)
  [ -n "$javac_path" ] && jni_include=$(dirname "$(dirname "$(readlink -f "$javac_path")")")/include
fi
emu_out=$(dirname "$out_dir")/native/linux-x86_64
cmake -S "$src_dir" -B "$build_dir" -DUVGL_KERNEL_OUT="$out_dir" -DUVGL_EMU_OUT="$emu_out" \
  -DUVGL_JNI_INCLUDE="${jni_include:-}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# The engine finds its kernels through this index (a jar cannot be listed portably).
(cd "$out_dir" && ls *.fatbin | sed 's/\.fatbin$//' > index.txt)
echo "[uvgl] CUDA kernels built with $(nvcc --version | tail -1): $(ls "$out_dir"/*.fatbin | wc -l) fatbins in the jar"
if [ -f "$emu_out/libuvgl_emu.so" ]; then
  echo "[uvgl] emulated device built: libuvgl_emu.so in the jar (native/linux-x86_64)"
else
  echo "[uvgl] emulated device not built: no jni.h found (set JAVA_HOME to a JDK); --device emu will say so"
fi
