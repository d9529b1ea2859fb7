#!/usr/bin/env bash
# ThreadSanitizer run. Builds the storage, api and server layers, the shoal
# binary and unit_tests_tsan (the unit tests that run threads: journal group
# commit, durable store, *_concurrency_test.cc) with g++ -fsanitize=thread
# -O1 -g in a tree of their own, runs those unit tests, then drives the TSan
# binary with the concurrency integration tests. Any data race, lock-order
# inversion or other TSan report fails the run; the server's reports are kept
# in <build>/tsan-reports/ and the first of them is printed.
#
#   scripts/tsan.sh
#
# Not part of scripts/test.sh: a third build of every layer costs more than
# the CI budget has room for (README, "Thread safety", has the times).
# Environment: SHOAL_TSAN_BUILD (default build-tsan), SHOAL_TSAN_INTEGRATION
# (test modules of tests/integration, default: test_concurrent_load
# test_kinesis_subscribe).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SHOAL_TSAN_BUILD:-$root/build-tsan}"
read -r -a modules <<<"${SHOAL_TSAN_INTEGRATION:-test_concurrent_load test_kinesis_subscribe}"
started=$(date +%s)

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHOAL_TSAN=ON \
  -DSHOAL_SANITIZED_TESTS=OFF -DSHOAL_BENCH=OFF -DSHOAL_FUZZ=OFF >/dev/null
cmake --build "$build" -j2 --target shoal unit_tests_tsan
built=$(date +%s)

# halt_on_error=0: see every race of a run, not only the first; exitcode=66
# then fails the process at exit. second_deadlock_stack: both stacks of a
# lock-order inversion.
options="halt_on_error=0 exitcode=66 second_deadlock_stack=1"
status=0
TSAN_OPTIONS="$options" "$build/tests/unit_tests_tsan" || status=1
units=$(date +%s)

# The server's reports go to files: its stderr belongs to the tests.
reports="$build/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
(cd "$root/tests/integration" &&
  TSAN_OPTIONS="$options log_path=$reports/shoal" SHOAL_BINARY="$build/shoal" \
    python3 -m unittest "${modules[@]}") || status=1
if compgen -G "$reports/shoal.*" >/dev/null; then
  echo "tsan: the server reported $(cat "$reports"/shoal.* | grep -c '^WARNING: ThreadSanitizer') problem(s) (in $reports); the first:"
  head -n 60 "$(ls "$reports"/shoal.* | head -n 1)"
  status=1
fi
finished=$(date +%s)

echo "tsan: build $((built - started)) s, unit tests $((units - built)) s, integration $((finished - units)) s"
if [ "$status" -eq 0 ]; then echo "tsan: clean"; else echo "tsan: FAILED"; fi
exit "$status"
