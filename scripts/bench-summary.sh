#!/usr/bin/env bash
# Benchmark (not a test): `smbaudit summary` over a generated fleet of JSON reports against
# a jq one-liner computing the same per-rule failure counts. Prints each run and the medians.
#   scripts/bench-summary.sh [BINARY] [COUNT] [RUNS]   (needs jq: apt-get install jq)
# The fleet is generated once into /tmp/smbaudit-fleet-COUNT from the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/smbaudit}
count=${2:-10000}
runs=${3:-5}
fleet=/tmp/smbaudit-fleet-$count
if [[ ! -d $fleet ]]; then
  "$bin" audit --facts examples/ws01-facts.json --output /tmp/smbaudit-fleet-template.json
  scripts/gen-fleet-reports.py /tmp/smbaudit-fleet-template.json "$fleet" --count "$count"
fi
echo "fleet: $(find "$fleet" -name '*.json' | wc -l) reports, $(du -sh "$fleet" | cut -f1); $(nproc) cores; $(jq --version)"
cat "$fleet"/*.json > /dev/null  # warm the page cache for both

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
measure() {  # name, command...: prints wall seconds per run, then the median
  local name=$1; shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t
    t=$( { /usr/bin/time -f "%e %U %S" "$@" > /dev/null; } 2>&1 | tail -1)
    echo "  $name run $((i + 1)): wall/user/sys $t"
    times+=("${t%% *}")
  done
  echo "$name median wall: $(printf '%s\n' "${times[@]}" | median) s"
}
measure smbaudit "$bin" summary "$fleet"
measure jq sh -c "jq -r '.findings[] | select(.status == \"fail\") | .rule' $fleet/*.json | sort | uniq -c"

# The same counts, or the comparison means nothing.
"$bin" summary --format json "$fleet" | jq -r '.rules[] | "\(.fail) \(.rule)"' | sort > /tmp/smbaudit-bench-ours.txt
jq -r '.findings[] | select(.status == "fail") | .rule' "$fleet"/*.json | sort | uniq -c |
  awk '{print $1, $2}' | sort > /tmp/smbaudit-bench-jq.txt
if diff -q /tmp/smbaudit-bench-ours.txt /tmp/smbaudit-bench-jq.txt > /dev/null; then
  echo "per-rule failure counts agree ($(wc -l < /tmp/smbaudit-bench-jq.txt) rules)"
else
  echo "per-rule failure counts DIFFER" >&2
  exit 1
fi
