#!/usr/bin/env bash
# Builds the binary the Docker image ships: the shoal target only, linked with
# everything but glibc static (-DSHOAL_STATIC_RELEASE=ON), then stripped to
# OUT/shoal-release. The Dockerfile's build stage runs it, and so does
# tests/integration/test_docker_release.py on every test run, outside Docker.
#   docker/build-release.sh [OUT_DIR]     (default: build-release in the checkout)
# -O2 without -g: as fast as the normal build, and ccache (used when installed)
# then keys objects on content alone, not on the build directory, so reruns
# and other checkouts reuse them and only changed files and the link cost time.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$src/build-release}"
cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DSHOAL_TESTS=OFF -DSHOAL_BENCH=OFF \
  -DSHOAL_STATIC_RELEASE=ON >/dev/null
cmake --build "$out" -j"${SHOAL_BUILD_JOBS:-2}" --target shoal
strip --strip-all -o "$out/shoal-release" "$out/shoal"
echo "build-release: $out/shoal-release ($(stat -c %s "$out/shoal-release") bytes)"
