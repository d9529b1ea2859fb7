#!/usr/bin/env bash
# Installs, builds and runs every test: unit tests (plain and under
# ASan+UBSan) and integration tests that drive the real binary with boto3 and
# the AWS CLI. Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
