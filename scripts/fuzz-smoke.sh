#!/usr/bin/env bash
# Runs every libFuzzer target the fuzz preset built for a bounded time each, one target per
# core at a time.
#   scripts/fuzz-smoke.sh [SECONDS [JOBS]]        SECONDS per target (default 120), JOBS = cores
#   scripts/fuzz-smoke.sh --budget TOTAL [JOBS]   TOTAL seconds of wall time shared by every
#                                                 target: each gets TOTAL * JOBS / targets
# scripts/test.sh (and so CI) runs it with a fixed budget (--budget 300: 5 minutes on 2 cores,
# however many targets there are), so adding a parser does not lengthen CI.
# Longer runs: scripts/fuzz-smoke.sh 3600, or docs/security.md (Fuzzing).
# Each target starts from its seed corpus (fuzz/corpus/NAME) and its past crashes
# (fuzz/regressions/NAME); inputs it finds go to build/fuzz/corpus-work/NAME, crashes to
# build/fuzz/artifacts/NAME/. A crash fails the script: turn the input into a regression
# test (docs/security.md says how) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=""
if [[ "${1:-}" == "--budget" ]]; then
  budget="${2:?--budget needs a number of seconds}"
  shift 2
fi
seconds="${1:-120}"
jobs="${2:-$(nproc)}"
build=build/fuzz
if ! compgen -G "${build}/fuzz/fuzz_*" >/dev/null; then
  echo "fuzz-smoke: no fuzz targets in ${build}/fuzz: run cmake --workflow --preset fuzz first" >&2
  exit 2
fi
if [[ -n "${budget}" ]]; then
  targets=0
  for target in "${build}"/fuzz/fuzz_*; do [[ -x "${target}" && -f "${target}" ]] && targets=$((targets + 1)); done
  # Each of `jobs` cores works through targets/jobs targets in turn: the wall time stays TOTAL.
  seconds=$((budget * jobs / targets))
  ((seconds >= 10)) || seconds=10
  echo "fuzz-smoke: ${targets} targets share ${budget} s on ${jobs} cores: ${seconds} s each" >&2
fi

# Fuzzes one target; its outcome is its exit status, its console the tail of its log.
fuzz_one() {
  local target=$1 name="${1##*/fuzz_}"
  local work="${build}/corpus-work/${name}" artifacts="${build}/artifacts/${name}"
  mkdir -p "${work}" "${artifacts}"
  local inputs=("${work}" "fuzz/corpus/${name}") dict=()
  [[ -d "fuzz/regressions/${name}" ]] && inputs+=("fuzz/regressions/${name}")
  [[ -f "fuzz/${name}.dict" ]] && dict=("-dict=fuzz/${name}.dict")
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb bounds memory; the log
  # keeps the console short unless something is found.
  if ! "${target}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="${artifacts}/" "${dict[@]}" "${inputs[@]}" \
      >"${artifacts}/log.txt" 2>&1; then
    { echo "== fuzz ${name}: FAILED"; tail -n 40 "${artifacts}/log.txt"; } >&2
    return 1
  fi
  echo "== fuzz ${name} (${seconds} s): $(grep -E '^stat::number_of_executed_units|^Done ' "${artifacts}/log.txt" |
    tr '\n' ' ')" >&2
}

declare -A running=()  # pid -> target name
failed=()
# Waits for any one target to finish and records its outcome (bash 5.1+: wait -n -p).
reap_one() {
  local pid rc=0
  wait -n -p pid || rc=$?
  ((rc == 0)) || failed+=("${running[${pid}]}")
  unset "running[${pid}]"
}
for target in "${build}"/fuzz/fuzz_*; do
  [[ -x "${target}" && -f "${target}" ]] || continue
  while ((${#running[@]} >= jobs)); do reap_one; done
  fuzz_one "${target}" &
  running[$!]="${target##*/fuzz_}"
done
while ((${#running[@]})); do reap_one; done
if ((${#failed[@]})); then
  echo "fuzz-smoke: crashes or hangs in: ${failed[*]} (inputs in ${build}/artifacts/)" >&2
  exit 1
fi
