#!/usr/bin/env bash
# Builds the binary the Docker image ships: scripts/build.sh's configuration
# (Release, everything but glibc linked in: -DSHOAL_STATIC_RELEASE=ON), the
# shoal target only, stripped to OUT/shoal-release. The Dockerfile's build
# stage runs it; tests/integration/test_docker_release.py checks the binary of
# the test tree, which scripts/build.sh configures the same way.
#   docker/build-release.sh [OUT_DIR]     (default: build-release in the checkout)
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$src/build-release}"
SHOAL_BUILD_DIR="$out" SHOAL_CMAKE_ARGS="-DSHOAL_TESTS=OFF -DSHOAL_BENCH=OFF" "$src/scripts/build.sh" shoal
strip --strip-all -o "$out/shoal-release" "$out/shoal"
echo "build-release: $out/shoal-release ($(stat -c %s "$out/shoal-release") bytes)"
