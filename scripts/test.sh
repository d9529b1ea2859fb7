#!/usr/bin/env bash
# Installs, builds and runs every test: unit tests (plain and ASan+UBSan) and
# integration tests against the real binary. Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DSHOAL_TESTS=ON
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
