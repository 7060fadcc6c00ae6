#!/usr/bin/env bash
# Packs the engine for the lent GPU machine (../shared/device/README.md): a copy of java/target/engine.jar
# without JCuda's PTX compiler and runtime bindings (about 9 MB compressed: the engine loads prebuilt fatbins
# through the driver API only), so jar + Java runtime stay under the 64 MiB a run may carry; then
# ../shared/device/pack-runtime.sh puts both into .device/ and prints the snippet that sets J there.
# Then: run(carry [".device"], command: "<snippet> J=$J OUT=$OUT bash bench/gpu-validate.sh").
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-java/target/engine.jar}
slim=$(mktemp -d)/engine.jar
cp "$jar" "$slim"
zip -q -d "$slim" 'lib/libJNvPTXCompiler*' 'lib/libJCudaRuntime*' 'lib/libJNvrtc*' > /dev/null || true
bash ../shared/device/pack-runtime.sh "$slim"
du -ch .device/* | tail -1
