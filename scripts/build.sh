#!/usr/bin/env bash
# Installs dependencies and builds Shoal into build/ ($SHOAL_BUILD_DIR).
#   scripts/build.sh [TARGET...]     default: every target (server, tests, bench driver)
# One configuration for everyone: run.sh builds only `shoal` in it, test.sh
# builds the rest in the same tree (nothing is compiled twice), and the Docker
# image's docker/build-release.sh uses it too. Release (-O2) with everything
# but glibc linked in, which is the binary the image ships. Prints how long
# the build took. $SHOAL_CMAKE_ARGS adds cmake options.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir="${SHOAL_BUILD_DIR:-build}"
# A tree configured by hand with another generator cannot be reused.
if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
  echo "build: $dir was configured with another generator; starting it afresh"
  rm -rf "$dir"
fi
# shellcheck disable=SC2086  # SHOAL_CMAKE_ARGS is a list of options
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DSHOAL_STATIC_RELEASE=ON ${SHOAL_CMAKE_ARGS:-} >/dev/null
targets=()
(($#)) && targets=(--target "$@")
start=$(date +%s)
cmake --build "$dir" -j"${SHOAL_BUILD_JOBS:-$(nproc)}" "${targets[@]}"
echo "build: ${*:-all targets} up to date in $dir after $(($(date +%s) - start)) s"
