#!/usr/bin/env bash
# Regenerates docs/rules.md from the rule pack (a test fails when it is out of date).
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/dev/smbaudit}"
"$binary" rules --rules rules list --format markdown > docs/rules.md.tmp
mv docs/rules.md.tmp docs/rules.md
