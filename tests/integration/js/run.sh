#!/usr/bin/env bash
# Runs the JS SDK v3 tests (Kinesis over HTTP/1.1; Kinesis and SQS over h2c and TLS) against $SHOAL_BINARY (CTest passes it).
# Installs the locked SDK from npm on first use; node_modules is not committed.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/@aws-sdk/client-kinesis ] || [ ! -d node_modules/@aws-sdk/client-sqs ] ||
   [ ! -d node_modules/@smithy/node-http-handler ]; then
  npm ci --silent --no-audit --no-fund
fi
exec node --test kinesis.test.js http2.test.js auth.test.js
