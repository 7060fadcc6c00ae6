#!/usr/bin/env bash
# One call on a GPU machine (no Java there: carry .device/ as ../shared/device/README.md says, made by
# bench/pack-gpu.sh) that validates and benchmarks the CUDA path and writes one markdown report:
#   1. selftest --device cuda              every kernel against its CPU op, the registration rule
#   2. compute-sanitizer memcheck, racecheck, synccheck on selftest --quick
#   3. bench kernels: each op's GB/s against the device-to-device copy measured in the same run,
#      and a large PyTorch matmul beside the engine's GEMM
#   4. bench train-step: ConvNeXt-tiny 384 px batch 64, engine BF16 beside PyTorch eager FP32 and AMP BF16,
#      then the engine in FP32
#   5. bench cluster --device cuda at N = 37,854 (D = 768)
#   6. one short DMNIL epoch on a synthetic world at 384 px, logging live blocks and peak device memory
# Usage on the GPU machine, after the pack-runtime snippet has set J:
#   J=$J OUT=$OUT bash bench/gpu-validate.sh
# The same script runs on the emulated device at small sizes in CI (GpuValidateScriptTest):
#   UVGL_DEVICE=emu UVGL_SCALE=small ENGINE_CMD="java -cp CP dev.uvgl.cli.Main" OUT=dir bash bench/gpu-validate.sh
# Every step runs under its own timeout and the report says PASS, FAIL or SKIPPED (with the reason) for
# each; the exit status is 1 when a step failed. Budget on a GPU: at most 8 minutes in all.
set -uo pipefail
cd "$(dirname "$0")/.."
DEVICE=${UVGL_DEVICE:-cuda}
SCALE=${UVGL_SCALE:-full}
OUT=${OUT:?set OUT to the folder for the report}
PY=${PY:-python3}
J=${J:-java}
mkdir -p "$OUT"
if [ -z "${JAR:-}" ] && [ ! -f .device/engine.jar ] && [ -f .device/engine.jar.xz ]; then
  # bench/pack-gpu.sh carries the jar xz-compressed; python3's lzma unpacks it where xz is missing.
  JAR=/tmp/uvgl-engine.jar
  xz -dc .device/engine.jar.xz > "$JAR" 2>/dev/null \
    || $PY -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
         .device/engine.jar.xz "$JAR"
fi
if [ -n "${ENGINE_CMD:-}" ]; then
  read -r -a ENGINE <<< "$ENGINE_CMD"
else
  ENGINE=("$J" -jar "${JAR:-.device/engine.jar}")
fi
REPORT="$OUT/gpu-validate.md"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0
start_all=$(date +%s)

if [ "$SCALE" = small ]; then
  # The emulator pays per launch (a ConvNeXt-atto step is about 2,000): the fewest images and steps that run every line.
  TRAIN_STEP=(--model atto --size 32 --batch 1 --steps 1 --warmup 0)
  KERNELS=(--size 64 --elements 4096 --reps 1)
  CLUSTER=(--n 300 --dim 32 --cluster-size 10 --no-reference)
  WORLD=(--places 3 --drones-per-place 8 --size 32 --seed 5)
  TRAIN=(--model atto --size 32 --epochs 1 --set iters=1 --set batch_size=4 --set satellite_copies=8
         --set extract_batch=64 --set k1=10 --set k2=3 --set hm=0 --set ht=0 --threads 2)
  MATMUL_N=256; EMU_MEMORY=512M
  T_SELFTEST=600; T_SAN=120; T_KERNELS=300; T_TORCH=120; T_STEP=300; T_STEP32=300; T_CLUSTER=300; T_SYNTH=120
  T_TRAIN=900
else
  TRAIN_STEP=(--model tiny --size 384 --batch 64 --steps 5 --warmup 2)
  KERNELS=(--size 4096)
  CLUSTER=(--n 37854 --no-reference)
  WORLD=(--places 8 --drones-per-place 8 --size 384 --seed 5)
  TRAIN=(--model tiny --size 384 --epochs 1 --set iters=10 --set batch_size=32 --set satellite_copies=8
         --set extract_batch=32 --set eps_drone=0.6 --set k1=20)
  MATMUL_N=8192; EMU_MEMORY=4G
  # Per-step limits that add up to 475 s, so the whole call stays inside 8 minutes even when every step times out.
  T_SELFTEST=60; T_SAN=45; T_KERNELS=30; T_TORCH=20; T_STEP=60; T_STEP32=30; T_CLUSTER=30; T_SYNTH=20; T_TRAIN=90
fi

{
  echo "# GPU validation: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "- device: \`$DEVICE\`, scale: \`$SCALE\`, commit: \`${UVGL_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null \
    || echo unknown)}\`"
  echo "- engine: \`${ENGINE[*]}\`"
  if command -v nvidia-smi > /dev/null; then
    echo "- GPU: \`$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1)\`"
  else
    echo "- GPU: none (nvidia-smi not found)"
  fi
  echo "- host: $(nproc) cores; Python: \`$($PY -c 'import sys; print(sys.version.split()[0])' 2>&1)\`"
  echo
} > "$REPORT"

# section TITLE TIMEOUT_S CMD...: runs CMD, appends its status, wall time and output tail to the report.
section() {
  local title=$1 limit=$2; shift 2
  local log="$OUT/$(echo "$title" | tr -c 'a-zA-Z0-9' '-' | tr -s '-' | sed 's/-$//').log"
  local t0=$(date +%s)
  timeout "$limit" "$@" > "$log" 2>&1
  local rc=$? t=$(( $(date +%s) - t0 )) verdict=PASS
  [ $rc -ne 0 ] && verdict=FAIL && failed=1
  [ $rc -eq 124 ] && verdict="FAIL (timed out after ${limit} s)"
  grep -q '^SKIPPED' "$log" && [ $rc -eq 0 ] && verdict="SKIPPED: $(grep -m1 '^SKIPPED' "$log" | cut -c10-)"
  {
    echo "## $title: $verdict"
    echo
    echo "\`$*\` (exit $rc, ${t} s; full log: \`$(basename "$log")\`)"
    echo
    echo '```'
    grep -v '^PASS ' "$log" | tail -n 40
    echo '```'
    echo
  } >> "$REPORT"
}

skip() { { echo "## $1: SKIPPED: $2"; echo; } >> "$REPORT"; }

has_torch() { $PY -c 'import torch' > /dev/null 2>&1; }

section "selftest" "$T_SELFTEST" "${ENGINE[@]}" selftest --device "$DEVICE" $([ "$SCALE" = small ] && echo --quick) \
  --emu-memory "$EMU_MEMORY"

if [ "$DEVICE" = cuda ] && command -v compute-sanitizer > /dev/null; then
  for tool in memcheck racecheck synccheck; do
    section "compute-sanitizer $tool" "$T_SAN" compute-sanitizer --tool "$tool" --error-exitcode 3 "${ENGINE[@]}" \
      selftest --device cuda --quick
  done
else
  skip "compute-sanitizer" "$([ "$DEVICE" = cuda ] && echo 'not installed' \
    || echo "the emulated device is not a GPU; its own checks run in selftest")"
fi

section "bench kernels" "$T_KERNELS" "${ENGINE[@]}" bench kernels --device "$DEVICE" --emu-memory "$EMU_MEMORY" \
  "${KERNELS[@]}"
if has_torch; then
  section "PyTorch matmul" "$T_TORCH" $PY bench/torch_matmul.py --n "$MATMUL_N" \
    --device "$([ "$DEVICE" = cuda ] && echo cuda || echo cpu)"
else
  skip "PyTorch matmul" "no torch for $PY"
fi

TORCH=()
has_torch && TORCH=(--torch bench/torch_step.py --python "$PY")
section "bench train-step bf16" "$T_STEP" "${ENGINE[@]}" bench train-step --device "$DEVICE" \
  --emu-memory "$EMU_MEMORY" --precision bf16 "${TRAIN_STEP[@]}" "${TORCH[@]}"
section "bench train-step fp32" "$T_STEP32" "${ENGINE[@]}" bench train-step --device "$DEVICE" \
  --emu-memory "$EMU_MEMORY" --precision fp32 "${TRAIN_STEP[@]}"

section "bench cluster" "$T_CLUSTER" "${ENGINE[@]}" bench cluster --device "$DEVICE" --emu-memory "$EMU_MEMORY" \
  "${CLUSTER[@]}"

section "synthetic world" "$T_SYNTH" "${ENGINE[@]}" synth --out "$WORK/world" "${WORLD[@]}"
section "DMNIL epoch" "$T_TRAIN" "${ENGINE[@]}" train --data "$WORK/world" --out "$WORK/run" --device "$DEVICE" \
  --emu-memory "$EMU_MEMORY" "${TRAIN[@]}"
{
  echo "### device memory during the epoch"
  echo
  echo '```'
  grep -h 'device memory' "$OUT"/DMNIL-epoch.log || echo "(no device memory line: the epoch did not finish its steps)"
  echo '```'
  echo
  echo "Total: $(( $(date +%s) - start_all )) s; $([ $failed -eq 0 ] && echo 'every step passed or was skipped' \
    || echo 'SOME STEPS FAILED')."
} >> "$REPORT"
cp "$WORK/run/metrics.jsonl" "$OUT/dmnil-epoch-metrics.jsonl" 2>/dev/null || true
echo "report: $REPORT"
exit $failed
