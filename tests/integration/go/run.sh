#!/usr/bin/env bash
# Runs the Go SDK v1 SQS tests against $SHOAL_BINARY (CTest passes it), built in
# GOPATH mode against Debian's packaged SDK (golang-github-aws-aws-sdk-go-dev
# lays its sources out under /usr/share/gocode/src); nothing is downloaded.
# Go needs a writable build cache: $GOCACHE if set, else a temporary one.
set -euo pipefail
cd "$(dirname "$0")"
export GO111MODULE=off GOFLAGS= GOPROXY=off
export GOPATH=/usr/share/gocode
if [ -z "${GOCACHE:-}" ]; then
  GOCACHE="$(mktemp -d)"
  trap 'rm -rf "$GOCACHE"' EXIT
  export GOCACHE
fi
mkdir -p "$GOCACHE"
if [ ! -d "$GOPATH/src/github.com/aws/aws-sdk-go/service/sqs" ]; then
  echo "no AWS SDK for Go under $GOPATH: run scripts/install-deps.sh (golang-github-aws-aws-sdk-go-dev)" >&2
  exit 1
fi
export HOME="${HOME:-$GOCACHE}"
go test -count=1 -v "$@" .
