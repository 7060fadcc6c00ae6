#!/usr/bin/env bash
# The GPU machine's call (issue 26): run(carry [".device"], command "OUT=$OUT bash bench/gpu-validate.sh") after
# bench/pack-gpu.sh. It unpacks the Java runtime and the jar that .device/ carries (with J set it uses that Java,
# and with ENGINE_CMD that command, as CI does), then runs sections in priority order, each under its own
# `timeout -k`, and stops starting sections when the call's budget (BUDGET_S, 540 s of the 600 a call gets) cannot
# fit the next one: those are listed with the SECTIONS= line that runs just them in the next call.
#   validation: selftest, world + dmnil-epoch (one epoch at 384 px; device memory after every step),
#               tiny-world + train-cpu + train-cuda (cpu and cuda agree on every loss term and cluster count),
#               compute-sanitizer memcheck, racecheck, synccheck, initcheck on selftest --quick and on 3 steps
#   speed (recorded, judged by the speed issue): bench kernels, torch-matmul, train-step bf16 (beside PyTorch)
#               and fp32, bench cluster at University-1652's N
# Under $OUT: gpu-validate.md (the report, rewritten after every section, so a killed call still returns what ran),
# gpu-validate-logs.tar.gz (every section's full log and the runs' metrics) and, once a speed section ran,
# gpu-speed.json (bench/speed_json.py: the speed issue's fixed keys); the last stdout lines are a PASS/FAIL table. Exit 1 when a section failed. The self-test and the sanitizers run with CUDA_LAUNCH_BLOCKING=1,
# so a fault is reported at the launch that made it. When DEVICE is cuda, a GPU step that can only say SKIPPED (no
# GPU here) is a FAIL: this call exists to run on one.
# CI runs it twice: on the emulated device at small sizes (GpuValidateScriptTest:
#   UVGL_DEVICE=emu UVGL_SCALE=small ENGINE_CMD="java -cp CP dev.uvgl.cli.Main" OUT=dir bash bench/gpu-validate.sh)
# and as a bare machine would receive it, from the pack, with no Java on the PATH (GpuCallDryRunIT).
set -uo pipefail
SELF=$(readlink -f "$0")
cd "$(dirname "$SELF")/.."
DEVICE=${UVGL_DEVICE:-cuda}
SCALE=${UVGL_SCALE:-full}
OUT=${OUT:?set OUT to the folder for the report}
PY=${PY:-python3}
BUDGET_S=${BUDGET_S:-540}
# The emulator is one to two orders of magnitude slower than the GPU: its sections get five times the limits.
LIMIT_PERCENT=${LIMIT_PERCENT:-$([ "${UVGL_SCALE:-full}" = small ] && echo 500 || echo 100)}

unxz_to() {  # python3's lzma where the xz tool is missing
  xz -dc "$1" > "$2" 2> /dev/null \
    || $PY -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
}

# The engine command. The runtime's own libraries go on the java command line only (env), so PyTorch and
# compute-sanitizer keep theirs; the heap is set, since the default (a quarter of memory) is small on a new VM.
HEAP=${HEAP:-$([ "$SCALE" = small ] && echo 2g || echo 16g)}
engine_command() {
  if [ -n "${ENGINE_CMD:-}" ]; then
    read -r -a ENGINE <<< "$ENGINE_CMD"
  else
    ENGINE=(env "LD_LIBRARY_PATH=$(dirname "$(dirname "$J")")/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$J"
            "-Xmx$HEAP" "-Djava.io.tmpdir=$WORK" -jar "$JAR")
  fi
}

# Unpacks the runtime and the jar .device/ carries, unless J / JAR / ENGINE_CMD say what to run.
unpack() {
  [ -n "${ENGINE_CMD:-}" ] && return 0
  if [ -z "${J:-}" ]; then
    if [ ! -f .device/jre.tar.xz ]; then
      echo "gpu-validate: no Java: set J, or carry .device/ made by bench/pack-gpu.sh" >&2
      exit 2
    fi
    mkdir -p "$WORK/rt"
    unxz_to .device/jre.tar.xz "$WORK/jre.tar" && tar -xf "$WORK/jre.tar" -C "$WORK/rt" && rm -f "$WORK/jre.tar"
    J=$WORK/rt/jre/bin/java
  fi
  if [ -z "${JAR:-}" ] && [ -f .device/engine.jar.xz ]; then
    JAR=$WORK/engine.jar
    unxz_to .device/engine.jar.xz "$JAR"
  fi
  JAR=${JAR:-java/target/engine.jar}
  export J JAR
}
COMMIT=$(cut -d' ' -f1 .device/commit 2> /dev/null || git rev-parse --short=12 HEAD 2> /dev/null || echo unknown)

if [ "$SCALE" = small ]; then
  # The emulator pays per launch (a ConvNeXt-atto step is about 2,000): the fewest images and steps that run every line.
  SELFTEST=(--quick); STEP=(--model atto --size 32 --batch 1 --steps 1 --warmup 0)
  SAN_STEP=(--model atto --size 32 --batch 1 --steps 3 --warmup 0)
  KERNELS=(--size 64 --elements 4096 --reps 1); CLUSTER=(--n 300 --dim 32 --cluster-size 10 --no-reference)
  WORLD=(--places 3 --drones-per-place 8 --size 32 --seed 5)
  EPOCH=(--model atto --size 32 --epochs 1 --set iters=3 --set batch_size=4 --set satellite_copies=8
         --set extract_batch=64 --set k1=10 --set k2=3 --set hm=0 --set ht=0 --threads 2)
  MATMUL_N=256; EMU=(--emu-memory 512M)
else
  SELFTEST=(); STEP=(--model tiny --size 384 --batch 64 --steps 5 --warmup 2)
  SAN_STEP=(--model atto --size 64 --batch 4 --steps 3 --warmup 0)
  KERNELS=(--size 4096); CLUSTER=(--n 37854 --no-reference)
  WORLD=(--places 8 --drones-per-place 8 --size 256 --seed 5)
  EPOCH=(--model tiny --size 384 --epochs 1 --set iters=10 --set batch_size=32 --set satellite_copies=8
         --set extract_batch=32 --set eps_drone=0.6 --set k1=20)
  MATMUL_N=8192; EMU=()
fi
# The tiny run TrainOnEmuTest checks on the emulated device: two epochs hold every phase of dmnil.md.
TINY_WORLD=(--places 3 --drones-per-place 8 --size 32 --seed 5)
TINY=(--model atto --size 32 --epochs 2 --set iters=1 --set batch_size=4 --set satellite_copies=8 --set hm=0
      --set ht=0 --set cmlabel=1 --set k1=10 --set k2=3 --set extract_batch=64 --threads 2)
# TrainOnEmuTest holds the emulated device to 1e-4 of the CPU; a GPU also fuses multiply-adds (nvcc's default), which
# the emulator's host build does not, so its bound is ten times wider. The measured worst term is reported either way.
AGREE_BOUND=${AGREE_BOUND:-1e-3}

VALIDATION="selftest world dmnil-epoch tiny-world train-cpu train-cuda
  memcheck-selftest racecheck-selftest synccheck-selftest initcheck-selftest
  memcheck-steps racecheck-steps synccheck-steps initcheck-steps"
SPEED="bench-kernels torch-matmul train-step-bf16 train-step-fp32 bench-cluster"
SECTIONS=${SECTIONS:-$VALIDATION $SPEED}

# name: "limit_s|command..."; a command runs from the repository root with $WORK for scratch.
limit_of() {
  case $1 in
    selftest) echo 120 ;; world|tiny-world) echo 90 ;; dmnil-epoch) echo 180 ;; train-cpu|train-cuda) echo 120 ;;
    *-selftest|*-steps) echo 120 ;; bench-kernels) echo 60 ;; torch-matmul) echo 40 ;; train-step-bf16) echo 120 ;;
    train-step-fp32|bench-cluster) echo 60 ;; *) echo 60 ;;
  esac
}

has_torch() { $PY -c 'import torch' > /dev/null 2>&1; }
needs_gpu() { [ "$DEVICE" = cuda ] && case $1 in world|tiny-world|train-cpu|torch-matmul) false ;; *) true ;; esac; }


# Runs one section; prints "SKIPPED: why" itself when it cannot run here.
run_section() {
  local name=$1
  case $name in
    selftest) CUDA_LAUNCH_BLOCKING=1 "${ENGINE[@]}" selftest --device "$DEVICE" "${SELFTEST[@]}" "${EMU[@]}" ;;
    world) "${ENGINE[@]}" synth --out "$WORK/world" "${WORLD[@]}" ;;
    dmnil-epoch)
      [ -d "$WORK/world" ] || { echo "SKIPPED: needs the world section's $WORK/world"; return 0; }
      "${ENGINE[@]}" train --data "$WORK/world" --out "$WORK/runs/epoch" --device "$DEVICE" "${EMU[@]}" "${EPOCH[@]}" \
        2>&1 | tee "$WORK/epoch.out" || return 1
      # Live device memory must be the same after every step but the first: anything else leaks per step.
      grep -q 'live after steps .*(flat)' "$WORK/epoch.out" || { echo "FAIL: device memory not flat across steps"; \
                                                                 return 4; } ;;
    tiny-world) "${ENGINE[@]}" synth --out "$WORK/tiny" "${TINY_WORLD[@]}" ;;
    train-cpu)
      [ -d "$WORK/tiny" ] || { echo "SKIPPED: needs the tiny-world section's $WORK/tiny"; return 0; }
      "${ENGINE[@]}" train --data "$WORK/tiny" --out "$WORK/runs/cpu" --device cpu "${TINY[@]}" ;;
    train-cuda)
      [ -f "$WORK/runs/cpu/metrics.jsonl" ] || { echo "SKIPPED: needs the train-cpu section's run"; return 0; }
      "${ENGINE[@]}" train --data "$WORK/tiny" --out "$WORK/runs/device" --device "$DEVICE" "${EMU[@]}" "${TINY[@]}" \
        && $PY bench/compare_train_runs.py "$WORK/runs/cpu/metrics.jsonl" "$WORK/runs/device/metrics.jsonl" \
             --bound "$AGREE_BOUND" ;;
    *-selftest|*-steps)
      local tool=${name%%-*}
      [ "$DEVICE" = cuda ] || { echo "SKIPPED: the emulated device is not a GPU; its own checks run in selftest"; \
                               return 0; }
      command -v compute-sanitizer > /dev/null || { echo "compute-sanitizer is not on the PATH"; return 3; }
      if [ "${name#*-}" = selftest ]; then
        CUDA_LAUNCH_BLOCKING=1 compute-sanitizer --tool "$tool" --error-exitcode 3 "${ENGINE[@]}" selftest \
          --device cuda --quick
      else
        CUDA_LAUNCH_BLOCKING=1 compute-sanitizer --tool "$tool" --error-exitcode 3 "${ENGINE[@]}" bench train-step \
          --device cuda --precision bf16 "${SAN_STEP[@]}"
      fi ;;
    bench-kernels) "${ENGINE[@]}" bench kernels --device "$DEVICE" "${EMU[@]}" "${KERNELS[@]}" ;;
    torch-matmul)
      has_torch || { echo "SKIPPED: no torch for $PY"; return 0; }
      $PY bench/torch_matmul.py --n "$MATMUL_N" --device "$([ "$DEVICE" = cuda ] && echo cuda || echo cpu)" ;;
    train-step-bf16)
      local torch=(); has_torch && torch=(--torch bench/torch_step.py --python "$PY")
      "${ENGINE[@]}" bench train-step --device "$DEVICE" "${EMU[@]}" --precision bf16 "${STEP[@]}" "${torch[@]}" ;;
    train-step-fp32) "${ENGINE[@]}" bench train-step --device "$DEVICE" "${EMU[@]}" --precision fp32 "${STEP[@]}" ;;
    bench-cluster) "${ENGINE[@]}" bench cluster --device "$DEVICE" "${EMU[@]}" "${CLUSTER[@]}" ;;
    *) echo "no section named $name (sections: $VALIDATION $SPEED)"; return 2 ;;
  esac
}

if [ "${1:-}" = --section ]; then  # one section, in a process of its own (WORK, J, JAR come from the parent)
  engine_command
  run_section "$2"
  exit $?
fi

mkdir -p "$OUT"
WORK=$(mktemp -d -t uvgl-gpu-validate.XXXXXX)
export WORK
trap 'rm -rf "$WORK"; exit 130' INT TERM
mkdir -p "$WORK/logs"
start_all=$(date +%s)
unpack
engine_command

RESULTS=()   # "VERDICT name seconds"
NOT_RUN=()
failed=0
report() {
  {
    echo "# GPU validation: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- device: \`$DEVICE\`, scale: \`$SCALE\`, commit: \`$COMMIT\`, budget ${BUDGET_S} s"
    echo "- engine: \`${ENGINE[*]}\`"
    if command -v nvidia-smi > /dev/null; then
      echo "- GPU: \`$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1)\`"
    else
      echo "- GPU: none (nvidia-smi not found)"
    fi
    echo "- host: $(nproc) cores; Python: \`$($PY -c 'import sys; print(sys.version.split()[0])' 2>&1)\`" \
      "$(has_torch && $PY -c 'import torch; print("torch", torch.__version__)' 2>/dev/null)"
    echo
    echo "| section | verdict | seconds |"
    echo "| --- | --- | --- |"
    for r in "${RESULTS[@]}"; do
      local verdict=${r%%|*} rest=${r#*|}
      echo "| ${rest%%|*} | $verdict | ${rest#*|} |"
    done
    [ ${#NOT_RUN[@]} -gt 0 ] && echo && echo "Not run (no time left in this call): \`SECTIONS='${NOT_RUN[*]}'\`"
    echo
    for r in "${RESULTS[@]}"; do
      local rest=${r#*|} name
      name=${rest%%|*}
      echo "## $name: ${r%%|*}"
      echo
      echo '```'
      grep -v '^PASS ' "$WORK/logs/$name.log" | tail -n 40
      echo '```'
      echo
    done
    echo "Total: $(( $(date +%s) - start_all )) s."
  } > "$OUT/gpu-validate.md.partial" && mv "$OUT/gpu-validate.md.partial" "$OUT/gpu-validate.md"
  for run in "$WORK"/runs/*/; do
    [ -f "$run/metrics.jsonl" ] && cp "$run/metrics.jsonl" "$WORK/logs/$(basename "$run")-metrics.jsonl"
  done
  if [ -n "$(ls "$WORK/logs" | grep -E "^(bench-|torch-|train-step)")" ]; then
    local gpu=() line
    line=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2> /dev/null | head -1)
    [ -n "$line" ] && gpu=(--device "${line%%,*}" --driver "${line##*, }") || gpu=(--device "$DEVICE")
    $PY bench/speed_json.py "$WORK/logs" "${gpu[@]}" --commit "$COMMIT" \
      > "$OUT/gpu-speed.json.partial" 2> /dev/null && mv "$OUT/gpu-speed.json.partial" "$OUT/gpu-speed.json"
  fi
  tar -czf "$OUT/gpu-validate-logs.tar.gz.partial" -C "$WORK" logs \
    && mv "$OUT/gpu-validate-logs.tar.gz.partial" "$OUT/gpu-validate-logs.tar.gz"
}

for name in $SECTIONS; do
  limit=$(( $(limit_of "$name") * LIMIT_PERCENT / 100 ))
  left=$(( BUDGET_S - ($(date +%s) - start_all) ))
  if [ "$left" -lt 20 ] || { [ "$left" -lt "$limit" ] && [ "$left" -lt 60 ]; }; then
    NOT_RUN+=("$name")
    continue
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  log=$WORK/logs/$name.log
  t0=$(date +%s)
  # Each section is this script again (--section), under timeout -k: timeout signals its whole process group, so
  # java and compute-sanitizer stop too, and a JVM stuck in driver teardown is killed 10 s after the limit.
  timeout -k 10 "$limit" bash "$SELF" --section "$name" > "$log" 2>&1 < /dev/null
  rc=$?
  t=$(( $(date +%s) - t0 ))
  why=$(grep -m1 -E '^(error|FAIL|SKIPPED)' "$log" || grep -v '^[[:space:]]*$' "$log" | tail -n 1)
  verdict=PASS
  if [ $rc -ne 0 ]; then
    verdict="FAIL (exit $rc): ${why:0:200}"
    [ $rc -eq 124 ] || [ $rc -eq 137 ] && verdict="FAIL (timed out after ${limit} s)"
  elif grep -q '^SKIPPED' "$log"; then
    verdict="SKIPPED: ${why:9:200}"
    # On the GPU machine a GPU step that can only skip has failed: the call exists to run it.
    needs_gpu "$name" && verdict="FAIL (no GPU): ${why:9:200}" && rc=1
  fi
  [ $rc -ne 0 ] && failed=1
  RESULTS+=("$verdict|$name|$t")
  report
done
report

echo
echo "GPU validation ($DEVICE, $SCALE, commit $COMMIT): $(( $(date +%s) - start_all )) s"
for r in "${RESULTS[@]}"; do
  rest=${r#*|}
  printf '%-20s %5ss  %s\n' "${rest%%|*}" "${rest#*|}" "${r%%|*}"
done
[ ${#NOT_RUN[@]} -gt 0 ] && echo "not run, no time left: next call SECTIONS='${NOT_RUN[*]}' OUT=\$OUT bash bench/gpu-validate.sh"
echo "report: $OUT/gpu-validate.md, logs: $OUT/gpu-validate-logs.tar.gz"
rm -rf "$WORK"
exit $failed
