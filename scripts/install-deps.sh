#!/usr/bin/env bash
# Installs what building and testing Shoal needs on Debian 12. Idempotent and
# quiet when everything is already there. Integration tests use the machine's
# python3 with boto3 >= 1.34 and the AWS CLI (JSON protocol for SQS).
set -euo pipefail
packages=(build-essential cmake libboost1.81-dev nlohmann-json3-dev libssl-dev doctest-dev python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The integration tests drive the server with boto3 and the AWS CLI. Prefer a
# python3 that already has them (a current boto3 speaks AWS JSON to SQS);
# otherwise take Debian's.
python3 -c "import boto3" 2>/dev/null || missing+=(python3-boto3)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
