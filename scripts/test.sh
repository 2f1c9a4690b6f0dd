#!/usr/bin/env bash
# Quick start, command 2 (and CI): install what is missing, then build and run every test:
# natively under Address+UndefinedBehavior sanitizers (asan), the Windows build under Wine
# (mingw), and a smoke run of the libFuzzer targets (fuzz). The dev preset builds and runs
# the same tests as asan, without the sanitizers: CI leaves it out (10 of its minutes on
# two cores), developers use it for a fast edit-build-test loop.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase prints its wall time, so a CI log shows where the minutes go (budget: 60).
phase_start=${SECONDS}
phase_done() {
  echo "== $1 took $((SECONDS - phase_start)) s (total $((SECONDS / 60)) min)" >&2
  phase_start=${SECONDS}
}
scripts/setup.sh --windows
phase_done setup
# Formatting is checked first: it takes a second and fails fast.
scripts/check-format.sh
for preset in asan mingw; do
  echo "== ${preset}" >&2
  cmake --workflow --preset "${preset}"
  phase_done "${preset}"
done
# libFuzzer targets (clang): build, replay the seed corpus and past crashes, then a bounded
# smoke run of every target sharing a fixed 5-minute budget (one per core; longer runs:
# docs/security.md).
echo "== fuzz" >&2
cmake --workflow --preset fuzz
scripts/fuzz-smoke.sh --budget 300
phase_done fuzz
# The README's first command must keep working too: release build, audit of the example.
echo "== release (scripts/demo.sh)" >&2
scripts/demo.sh --format json --output 'build/release/{host}-report.json'
phase_done release
echo "demo: wrote build/release/WS01-report.json and GOLDEN-W11-report.json" >&2
