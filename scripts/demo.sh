#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build the release binary and audit the
# bundled example host. Extra arguments go to `smbaudit audit` (e.g. --format json).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
exec build/release/smbaudit audit --facts examples/ws01-facts.json "$@"
