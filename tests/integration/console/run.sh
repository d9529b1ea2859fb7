#!/usr/bin/env bash
# Runs the web console's browser tests against $SHOAL_BINARY (CTest passes
# it) in Debian's headless Chromium (scripts/install-deps.sh installs it).
# Installs the locked playwright-core and AWS SDK from npm on first use;
# node_modules is not committed.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@aws-sdk/client-sqs ] ||
   [ ! -d node_modules/@aws-sdk/client-kinesis ] || [ ! -d node_modules/@smithy/node-http-handler ]; then
  npm ci --silent --no-audit --no-fund
fi
exec node --test --test-concurrency=1 console.test.js
