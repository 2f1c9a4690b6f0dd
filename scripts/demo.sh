#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build the release binary and audit the
# bundled examples: the example host's facts snapshot, then the example golden image's
# offline hives. Extra arguments go to both `smbaudit audit` runs (e.g. --format json; an
# --output path should contain {host} so the two reports do not overwrite each other).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
status=0
build/release/smbaudit audit --facts examples/ws01-facts.json "$@" || status=$?
echo "demo: offline image examples/golden-image (Windows/System32/config/SYSTEM and SOFTWARE)" >&2
build/release/smbaudit audit --image-root examples/golden-image "$@" || status=$?
exit "$status"
