#!/usr/bin/env bash
# Installs, builds and starts the server in the foreground (in memory,
# 127.0.0.1:4566). Extra arguments go to the server, e.g. --port 9324.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/shoal "$@"
