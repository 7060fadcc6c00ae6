#!/usr/bin/env bash
# Packs what the lent GPU machine lacks (it has CUDA 13 and PyTorch but no Java; ../shared/device/README.md) into
# .device/ at the repository root, which the device tool carries when a call names it:
#   .device/jre.tar.xz     a jlink'd Java 17 runtime: --compress=0 and a stripped libjvm.so, so xz -9e can do the
#                          squeezing (about 18 MB), plus the system libraries Debian's image decoders link against
#   .device/engine.jar.xz  the engine without what a GPU run never loads (JCuda's PTX compiler, runtime and NVRTC
#                          bindings, the bundled weights), stored uncompressed and then xz'd as one stream
#   .device/commit         the commit packed ("+uncommitted" when the tree differs), since .git may not travel
# A call carries the working tree (tracked and untracked-not-ignored files) plus .device/, at most 64 MiB; this
# refuses above LIMIT_MIB (60) and prints the sizes either way. Then the call is:
#   run(carry [".device"], command: "OUT=$OUT bash bench/gpu-validate.sh")
# Usage: bash bench/pack-gpu.sh [ENGINE_JAR]   (default java/target/engine.jar; build it first)
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT_MIB=${LIMIT_MIB:-60}
jar=$(readlink -f "${1:-java/target/engine.jar}")
[ -f "$jar" ] || { echo "pack-gpu: $jar not found: build it first (mvn -q -DskipTests package)" >&2; exit 2; }
for tool in jlink strip xz zip unzip; do
  command -v "$tool" > /dev/null || { echo "pack-gpu: $tool not found: install it (a JDK 17 for jlink)" >&2; exit 2; }
done
mkdir -p .device
exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
grep -qx '/.device/' "$exclude" 2>/dev/null || echo '/.device/' >> "$exclude"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The runtime: rebuilt only when the JDK or the module list changes (xz -9e of it takes a minute or two).
modules=java.base,java.desktop,java.logging,java.management,java.sql,jdk.unsupported
key="$(java -version 2>&1 | head -1); $modules"
if [ ! -f .device/jre.tar.xz ] || [ "$(cat .device/jre.key 2>/dev/null)" != "$key" ]; then
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=0 --output "$scratch/jre"
  strip --strip-unneeded "$scratch/jre/lib/server/libjvm.so"
  # Debian's JDK links its image and font code against these; the GPU machine need not have them.
  for lib in libjpeg.so.62 liblcms2.so.2 libfreetype.so.6 libpng16.so.16 libharfbuzz.so.0 libbrotlidec.so.1 \
             libbrotlicommon.so.1 libgraphite2.so.3 libglib-2.0.so.0 libpcre2-8.so.0; do
    f=$(ls /lib/x86_64-linux-gnu/$lib* 2>/dev/null | head -1) && cp -L "$f" "$scratch/jre/lib/$lib" || true
  done
  tar -C "$scratch" -cf - jre | xz -9e -T1 > .device/jre.tar.xz.partial
  mv .device/jre.tar.xz.partial .device/jre.tar.xz
  echo "$key" > .device/jre.key
  rm -rf "$scratch/jre"
fi

# The jar: META-INF first (java -jar reads the manifest from the front), every entry stored, then one xz stream.
mkdir "$scratch/jar"
(cd "$scratch/jar" && unzip -q "$jar")
rm -rf "$scratch"/jar/lib/libJNvPTXCompiler* "$scratch"/jar/lib/libJCudaRuntime* "$scratch"/jar/lib/libJNvrtc* \
       "$scratch/jar/weights" "$scratch"/jar/org/bytedeco/openblas/linux-x86_64/{include,cmake,pkgconfig}
(cd "$scratch/jar" && zip -q -0 -X -r ../engine.jar META-INF && zip -q -0 -X -r ../engine.jar . -x 'META-INF/*')
xz -9e -T1 -c "$scratch/engine.jar" > .device/engine.jar.xz.partial
mv .device/engine.jar.xz.partial .device/engine.jar.xz

dirty=$(git status --porcelain --untracked-files=no | grep -q . && echo "+uncommitted" || true)
echo "$(git rev-parse --short=12 HEAD)$dirty packed $(date -u +%Y-%m-%dT%H:%M:%SZ)" > .device/commit

tree=$(git ls-files -co --exclude-standard -z | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}')
device=$(stat -c %s .device/* | awk '{s += $1} END {print s + 0}')
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
total=$((tree + device))
echo "pack-gpu: working tree $(mib "$tree") MiB + .device $(mib "$device") MiB (jre.tar.xz" \
  "$(mib "$(stat -c %s .device/jre.tar.xz)"), engine.jar.xz $(mib "$(stat -c %s .device/engine.jar.xz)"))" \
  "= $(mib "$total") MiB of the 64 MiB a call carries; commit $(cut -d' ' -f1 .device/commit)"
if [ "$total" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "pack-gpu: $(mib "$total") MiB is over the ${LIMIT_MIB} MiB this allows: move large untracked files out of" \
    "the tree (git status) or ignore them; the largest: $(git ls-files -co --exclude-standard -z \
    | xargs -0 du -b 2>/dev/null | sort -nr | head -3 | awk '{printf "%s (%.1f MiB) ", $2, $1 / 1048576}')" >&2
  exit 1
fi
echo 'then: run(carry [".device"], command "OUT=$OUT bash bench/gpu-validate.sh")'
