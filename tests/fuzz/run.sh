#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cc) with clang in a tree of
# their own and runs each for a bounded time, two at a time, starting from
# the seed corpus in tests/fuzz/corpus/<target>/ (new inputs go to the build
# tree, never into the repository). Any crash, leak, sanitizer report,
# timeout or out-of-memory fails the run; the input that did it is saved as
# <build>/artifacts/<target>-crash-... and the log tail is printed. Replay one
# with `<build>/<target> <artifact>`.
#
#   tests/fuzz/run.sh                  every target
#   tests/fuzz/run.sh fuzz_json_reader one (or several)
#
# Environment: SHOAL_FUZZ_SECONDS (per target, default 30), SHOAL_FUZZ_JOBS
# (targets at once, default 2), SHOAL_FUZZ_BUILD (default build/fuzz),
# SHOAL_FUZZ_CXX (default clang++-14).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${SHOAL_FUZZ_BUILD:-$root/build/fuzz}"
seconds="${SHOAL_FUZZ_SECONDS:-30}"
jobs="${SHOAL_FUZZ_JOBS:-2}"
cxx="${SHOAL_FUZZ_CXX:-clang++-14}"
started=$(date +%s)

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$root/tests/fuzz" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" -j2
built=$(date +%s)

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in "$root"/tests/fuzz/fuzz_*.cc; do targets+=("$(basename "$source" .cc)"); done
fi

mkdir -p "$build/artifacts" "$build/logs"
run_one() {
  local target="$1"
  mkdir -p "$build/corpus/$target"
  local seeds=()
  [ -d "$root/tests/fuzz/corpus/$target" ] && seeds=("$root/tests/fuzz/corpus/$target")
  local dict=()
  [ -f "$root/tests/fuzz/$target.dict" ] && dict=(-dict="$root/tests/fuzz/$target.dict")
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a decoder that
  # needs 2 GB for one input is the amplification this exists to catch.
  if "$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/artifacts/$target-" "${dict[@]}" "$build/corpus/$target" "${seeds[@]}" \
       >"$build/logs/$target.log" 2>&1; then
    echo "ok   $target: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/logs/$target.log" | grep -o '[0-9]*$') runs"
  else
    echo "FAIL $target (log: $build/logs/$target.log)"
    tail -n 40 "$build/logs/$target.log"
    return 1
  fi
}

failed=0
running=0
for target in "${targets[@]}"; do
  if [ ! -x "$build/$target" ]; then
    echo "FAIL $target: no such target in $build"
    failed=1
    continue
  fi
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

finished=$(date +%s)
echo "fuzzing: build $((built - started)) s, ${#targets[@]} targets x ${seconds} s in $((finished - built)) s"
exit "$failed"
