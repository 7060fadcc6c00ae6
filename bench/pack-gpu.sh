#!/usr/bin/env bash
# Packs the engine for the lent GPU machine (../shared/device/README.md): a copy of java/target/engine.jar
# without JCuda's PTX compiler and runtime bindings (the engine loads prebuilt fatbins through the driver API
# only); ../shared/device/pack-runtime.sh puts it and a Java runtime into .device/ and prints the snippet that
# sets J there. The jar is then stored uncompressed and xz-compressed (.device/engine.jar.xz, about 13 MB
# against 29 MB deflated), because the working tree (about 8 MB), the runtime (34 MB) and the jar must travel
# in 64 MiB together; bench/gpu-validate.sh unpacks it there.
# Then: run(carry [".device"], command: "<snippet> J=$J OUT=$OUT bash bench/gpu-validate.sh").
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-java/target/engine.jar}
slim=$(mktemp -d)/engine.jar
cp "$jar" "$slim"
zip -q -d "$slim" 'lib/libJNvPTXCompiler*' 'lib/libJCudaRuntime*' 'lib/libJNvrtc*' > /dev/null || true
pack=$(cd ../shared/device && pwd)/pack-runtime.sh
if [ -d .git ]; then
  bash "$pack" "$slim"
else
  # A git worktree has a .git file, where pack-runtime.sh expects .git/info/: pack in a scratch repository.
  scratch=$(mktemp -d)
  git -C "$scratch" init -q
  (cd "$scratch" && bash "$pack" "$slim")
  mkdir -p .device
  mv "$scratch"/.device/* .device/
  grep -qx '/.device/' "$(git rev-parse --git-path info/exclude)" 2>/dev/null \
    || echo '/.device/' >> "$(git rev-parse --git-path info/exclude)"
  rm -rf "$scratch"
fi
work=$(mktemp -d)
(cd "$work" && unzip -q "$OLDPWD/.device/engine.jar" \
  && zip -q -0 -r ../stored.jar META-INF $(ls | grep -v '^META-INF$'))
xz -T0 -9 -c "$work/../stored.jar" > .device/engine.jar.xz
rm -rf "$work/../stored.jar" "$work" .device/engine.jar
du -ch .device/* | tail -1
