#!/usr/bin/env bash
# Runs every libFuzzer target the fuzz preset built for a bounded time each.
#   scripts/fuzz-smoke.sh [SECONDS]    default 20 per target (the test command's smoke run)
# Longer runs: scripts/fuzz-smoke.sh 3600, or see docs/security.md (Fuzzing).
# Each target starts from its seed corpus (fuzz/corpus/NAME) and its past crashes
# (fuzz/regressions/NAME); inputs it finds go to build/fuzz/corpus-work/NAME, crashes to
# build/fuzz/artifacts/NAME/. A crash fails the script: turn the input into a regression
# test (docs/security.md says how) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
build=build/fuzz
if ! compgen -G "${build}/fuzz/fuzz_*" >/dev/null; then
  echo "fuzz-smoke: no fuzz targets in ${build}/fuzz: run cmake --workflow --preset fuzz first" >&2
  exit 2
fi
failed=()
for target in "${build}"/fuzz/fuzz_*; do
  [[ -x "${target}" && -f "${target}" ]] || continue
  name="${target##*/fuzz_}"
  work="${build}/corpus-work/${name}"
  artifacts="${build}/artifacts/${name}"
  mkdir -p "${work}" "${artifacts}"
  inputs=("${work}" "fuzz/corpus/${name}")
  [[ -d "fuzz/regressions/${name}" ]] && inputs+=("fuzz/regressions/${name}")
  dict=()
  [[ -f "fuzz/${name}.dict" ]] && dict=("-dict=fuzz/${name}.dict")
  echo "== fuzz ${name} (${seconds} s)" >&2
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb bounds memory; the log
  # keeps the console short unless something is found.
  if ! "${target}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="${artifacts}/" "${dict[@]}" "${inputs[@]}" \
      >"${artifacts}/log.txt" 2>&1; then
    tail -n 40 "${artifacts}/log.txt" >&2
    failed+=("${name}")
  else
    grep -E '^stat::number_of_executed_units|^Done ' "${artifacts}/log.txt" | tr '\n' ' ' >&2
    echo >&2
  fi
done
if ((${#failed[@]})); then
  echo "fuzz-smoke: crashes or hangs in: ${failed[*]} (inputs in ${build}/artifacts/)" >&2
  exit 1
fi
