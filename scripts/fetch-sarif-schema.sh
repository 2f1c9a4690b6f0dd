#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON schema that tests/validate_reports.py checks the SARIF writer
# against, from the npm registry (not committed: it is OASIS's text, not this project's).
#   scripts/fetch-sarif-schema.sh DEST
# The schema comes from the MIT-licensed package @microsoft/jest-sarif (SARIF 2.1.0 rtm.5,
# the schema of the 2.1.0 standard as published with it); npm checks the tarball's integrity
# and this script pins the schema's own SHA-256, so a changed package is noticed.
set -euo pipefail
dest=${1:?usage: fetch-sarif-schema.sh DEST}
package=@microsoft/jest-sarif@1.0.0-beta.0
inner=package/lib/schemas/sarif-2.1.0-rtm.5.json
sha256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8

if [[ -f "$dest" ]] && echo "$sha256  $dest" | sha256sum --check --status; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package" >/dev/null)
tar -xzf "$tmp"/microsoft-jest-sarif-1.0.0-beta.0.tgz -C "$tmp" "$inner"
if ! echo "$sha256  $tmp/$inner" | sha256sum --check --status; then
  echo "fetch-sarif-schema: $package's schema is not the one this project pinned (sha256 $sha256)" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
mv "$tmp/$inner" "$dest"
echo "fetch-sarif-schema: $dest" >&2
