#!/bin/sh
# Regenerates the fixture reports from their facts (run after a change to the report format
# or the rule pack that they should follow): tests/remediate/regen.sh [build/dev/smbaudit]
set -eu
cd "$(dirname "$0")"
bin="${1:-../../build/dev/smbaudit}"
"$bin" audit --facts ../../examples/ws01-facts.json --profile guide --format json --output ws01-guide.report.json || true
"$bin" audit --facts dc01-facts.json --profile strict --format json --output dc01-strict.report.json || true
# A fixed audit time keeps the golden scripts stable.
for f in ws01-guide.report.json dc01-strict.report.json; do
  sed -i 's/"generated_at": "[^"]*"/"generated_at": "2026-11-20T04:00:00Z"/' "$f"
done
