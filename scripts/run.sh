#!/usr/bin/env bash
# Installs, builds and starts the server in the foreground (in memory,
# 127.0.0.1:4566). Builds only the server (a few minutes the first time on two
# cores; seconds afterwards). Extra arguments go to the server, e.g. --port 9324.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh shoal
exec "${SHOAL_BUILD_DIR:-build}/shoal" "$@"
