#!/usr/bin/env bash
# Benchmark, not a test (docs/performance.md): the whole pack (strict profile) over a real
# SYSTEM hive and the example SOFTWARE hive, against one hivexget lookup and against 40
# hivexget lookups (the shell-script way of reading the same values). Medians of RUNS runs
# (hyperfine), then the audit's peak resident memory (GNU time, median of 9 runs).
#   scripts/bench-offline.sh SYSTEM_HIVE [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
system=$(realpath "$1")
runs=${2:-30}
software=$PWD/examples/golden-image/Windows/System32/config/SOFTWARE
bin=$PWD/build/release/smbaudit
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The first 40 registry values the pack reads, as hivexget would be asked for them.
"$bin" rules list --profile strict --format json | SYSTEM="$system" SOFTWARE="$software" python3 -c '
import json, os, shlex, sys
seen = []
for rule in json.load(sys.stdin):
    for fact in rule["facts"]:
        if fact.startswith("registry HKLM\\") and fact not in seen:
            seen.append(fact)
print("#!/bin/sh")
for fact in seen[:40]:
    path, value = fact[len("registry HKLM\\"):].rsplit("\\", 1)
    hive, key = path.split("\\", 1)
    if hive.upper() == "SYSTEM":
        key = key.replace("CurrentControlSet", "ControlSet001")
    print("hivexget %s %s %s >/dev/null 2>&1 || true" % (shlex.quote(os.environ[hive.upper()]), shlex.quote(key), shlex.quote(value)))
' >"$tmp/forty.sh"
test "$(grep -c hivexget "$tmp/forty.sh")" -eq 40

audit="$bin audit --profile strict --system $system --software $software --format json"
one="hivexget $system 'ControlSet001\Services\LanmanServer\Parameters' RequireSecuritySignature"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/times.json" -n audit "$audit" -n "one hivexget" "$one" \
  -n "40 hivexget" "sh $tmp/forty.sh" >&2
python3 - "$tmp/times.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-14s median %7.1f ms   user %6.1f ms   system %5.1f ms" % (r["command"], r["median"] * 1e3,
          r["user"] * 1e3, r["system"] * 1e3))
PY
for _ in 1 2 3 4 5 6 7 8 9; do
  /usr/bin/time -f "%M" $audit 2>&1 >/dev/null | tail -1
done | sort -n | sed -n 5p | awk '{printf "audit peak RSS median %.1f MB\n", $1 / 1024}'
