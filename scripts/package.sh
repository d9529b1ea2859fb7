#!/usr/bin/env bash
# Builds the Debian package: build/shoal_<version>_amd64.deb (the release
# binary, its man page, an example config, /etc/default/shoal and a systemd
# unit installed but not enabled). Install it with `apt install ./build/shoal_*.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh shoal shoal_man_page
cd "${SHOAL_BUILD_DIR:-build}"
cpack -G DEB
