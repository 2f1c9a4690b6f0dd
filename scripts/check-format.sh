#!/usr/bin/env bash
# Fails when a C++ file is not formatted per .clang-format (fix with: clang-format -i FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=()
while IFS= read -r f; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.cpp' '*.h')
if ((${#bad[@]})); then
  echo "not formatted per .clang-format (run clang-format -i): ${bad[*]}" >&2
  exit 1
fi
