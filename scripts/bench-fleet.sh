#!/usr/bin/env bash
# Benchmark, not a test (docs/performance.md): a simulated fleet through smbaudit's real
# scheduler, evaluation and JSON report writing (smbaudit_bench_fleet, built from
# tests/support/bench_fleet_main.cpp: the simulation lives in the tests, never in smbaudit).
# By default 1,000 hosts that take 200-1,500 ms each, 5 % hanging until the 10 s timeout,
# 16 in flight. It takes a few minutes; the tests run a small version of it.
#   scripts/bench-fleet.sh [HOSTS [PARALLEL [TIMEOUT_S]]] [-- more smbaudit_bench_fleet flags]
# The last line reads:
#   fleet: H hosts, parallel N, wall W s, ideal I s, ratio R, peak RSS M MB
# where ideal is the total work (each answering host's latency, the timeout for each hanging
# one) divided by N, plus one timeout. It exits 1 when the ratio is above 1.3 or a host has
# no readable report.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-1000}
parallel=${2:-16}
timeout=${3:-10}
shift $(($# < 3 ? $# : 3))
[ "${1:-}" = "--" ] && shift
build=$PWD/build/bench
# An optimised build of the tests' targets (the benchmark is one of them), in its own folder.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMBAUDIT_BUILD_TESTS=ON \
  -DCMAKE_COMPILE_WARNING_AS_ERROR=ON >/dev/null
cmake --build "$build" --target smbaudit_bench_fleet >/dev/null
exec "$build/tests/smbaudit_bench_fleet" --hosts "$hosts" --parallel "$parallel" --timeout-s "$timeout" \
  --fastest-ms 200 --slowest-ms 1500 --hang-percent 5 --max-ratio 1.3 "$@"
