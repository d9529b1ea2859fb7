#!/usr/bin/env bash
# Installs, builds and runs every test: unit tests under ASan+UBSan and
# integration tests that drive the real binary with boto3, the AWS CLI and the
# other clients. Ends with CTest's summary line. Arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd "${SHOAL_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" "$@"
