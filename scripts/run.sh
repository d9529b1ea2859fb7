#!/usr/bin/env bash
# Installs, builds and starts the server in the foreground (in memory, 127.0.0.1:4566).
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL_TESTS=OFF scripts/build.sh -DSHOAL_TESTS=OFF
exec build/shoal "$@"
