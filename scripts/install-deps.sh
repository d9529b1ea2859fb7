#!/usr/bin/env bash
# Installs what building and testing Shoal needs on Debian 12. Idempotent and
# quiet when everything is already there. Integration tests use the first
# python3 on PATH with its boto3 and the AWS CLI found on PATH (a current boto3
# speaks AWS JSON to SQS), and Debian's own python3-boto3 and awscli (both
# speak the query protocol to SQS; tests/integration/test_readme.py runs the
# README's examples with them).
set -euo pipefail
packages=(build-essential cmake ninja-build ccache libboost1.81-dev nlohmann-json3-dev libssl-dev libyaml-cpp-dev libnghttp2-dev doctest-dev python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The integration tests drive the server with boto3 and the AWS CLI. Prefer a
# python3 that already has them (a current boto3 speaks AWS JSON to SQS);
# otherwise take Debian's.
python3 -c "import boto3" 2>/dev/null || missing+=(python3-boto3)
[ -x /usr/bin/aws ] || missing+=(awscli)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Kinesis CBOR tests encode with a real CBOR library: Debian's python3-cbor2
# (tests/integration/kinesis_cbor.py also finds it from a non-Debian python3).
# The JS SDK tests need node and npm; the SDK itself comes from npm
# (tests/integration/js/run.sh runs npm ci).
extra=()
dpkg-query -W -f='${Status}' python3-cbor2 2>/dev/null | grep -q "install ok installed" || extra+=(python3-cbor2)
command -v node >/dev/null 2>&1 || extra+=(nodejs)
# HTTP/2 tests and the h2c benchmark rows use nghttp and h2load.
command -v h2load >/dev/null 2>&1 || extra+=(nghttp2-client)
command -v npm >/dev/null 2>&1 || extra+=(npm)
# The web console's browser tests drive Debian's Chromium with playwright-core
# (tests/integration/console/run.sh).
[ -x /usr/bin/chromium ] || extra+=(chromium)
# The Go SDK v1 tests (query-protocol SQS) build against Debian's packaged SDK
# in GOPATH mode (tests/integration/go/run.sh).
command -v go >/dev/null 2>&1 || extra+=(golang-go)
dpkg-query -W -f='${Status}' golang-github-aws-aws-sdk-go-dev 2>/dev/null | grep -q "install ok installed" ||
  extra+=(golang-github-aws-aws-sdk-go-dev)
# The fuzz targets (tests/fuzz/run.sh) build with clang and its libFuzzer runtime.
command -v clang++-14 >/dev/null 2>&1 || extra+=(clang-14)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || extra+=(libclang-rt-14-dev)
if ((${#extra[@]})); then
  echo "install-deps: installing ${extra[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${extra[@]}" >/dev/null
fi
# The SQS query-protocol tests need a client that still speaks it: Debian's
# python3-boto3 (botocore 1.29) for /usr/bin/python3, whatever python3 is first
# on PATH (tests/integration/test_sqs_query.py).
if ! dpkg-query -W -f='${Status}' python3-boto3 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: installing python3-boto3 (query-protocol SQS client for /usr/bin/python3)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends python3-boto3 >/dev/null
fi
