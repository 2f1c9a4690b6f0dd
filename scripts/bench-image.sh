#!/usr/bin/env bash
# Benchmark, not a test (docs/performance.md): auditing a Windows image FILE against auditing
# its bare hive files.
#   scripts/bench-image.sh SYSTEM_HIVE [RUNS]
# Builds (once, in /tmp/smbaudit-bench-image) a 30 GiB dynamic VHDX like a Hyper-V golden
# image: GPT, EFI system, Microsoft reserved, the Windows NTFS partition holding SYSTEM_HIVE and
# the example SOFTWARE hive at the end of the disk, and an NTFS recovery partition. Then, with
# hyperfine (3 warm-up runs, RUNS runs, medians):
#   - audit (bare hives):  smbaudit audit --profile strict --system SYSTEM_HIVE --software ... --format json
#   - extract (VHDX):      the image reader alone (smbaudit_image_extract disk.vhdx), which copies
#                          SYSTEM, SOFTWARE and Registry.pol out of the VHDX
#   - audit (VHDX):        smbaudit audit --image disk.vhdx (when the binary reads image files)
#   - cat (bare hives):    reading the two hive files, the floor of any reader
# then the extraction's peak resident memory and the bytes it read (the VHDX is never read whole).
# Needs hyperfine (apt-get install hyperfine) and what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
system=$(realpath "$1")
runs=${2:-30}
software=$PWD/examples/golden-image/Windows/System32/config/SOFTWARE
work=/tmp/smbaudit-bench-image
command -v hyperfine >/dev/null || { echo "bench-image: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

# smbaudit as shipped (release preset), and the image reader as a tool, built the same way.
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=$PWD/build/release/smbaudit
cmake -S . -B build/bench-image -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMBAUDIT_BUILD_TESTS=ON >/dev/null
cmake --build build/bench-image --target smbaudit_image_extract >/dev/null
extract=$PWD/build/bench-image/tests/smbaudit_image_extract

vhdx=$work/golden-30g.vhdx
stamp=$work/inputs.sha256
want=$(sha256sum "$system" "$software" | sha256sum | cut -c1-64)
if [[ ! -f $vhdx || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "bench-image: building $vhdx (30 GiB virtual, sparse)" >&2
  rm -rf "$work" && mkdir -p "$work/tree/Windows/System32/config" "$work/recovery-tree/Recovery"
  cp "$system" "$work/tree/Windows/System32/config/SYSTEM"
  cp "$software" "$work/tree/Windows/System32/config/SOFTWARE"
  echo "WinRE" >"$work/recovery-tree/Recovery/README"
  # Sizes in MiB: EFI 100, MSR 16, Windows, recovery 600; 1 MiB before, 1 MiB after (backup GPT).
  total=$((30 * 1024)) efi=100 msr=16 recovery=600
  windows=$((total - 2 - efi - msr - recovery))
  truncate -s "${total}M" "$work/disk.raw"
  sfdisk --quiet --no-reread --no-tell-kernel "$work/disk.raw" <<SFDISK
label: gpt
start=2048, size=$((efi * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
size=$((msr * 2048)), type=E3C9E316-0B5C-4DB8-817D-F92DF00215AE
size=$((windows * 2048)), type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
size=$((recovery * 2048)), type=DE94BBA4-06D1-4D40-A16A-BFD50179D6AC
SFDISK
  for part in windows recovery; do
    size=$windows tree=$work/tree
    if [[ $part == recovery ]]; then size=$recovery tree=$work/recovery-tree; fi
    truncate -s "${size}M" "$work/$part.ntfs"
    mkntfs --force --fast --quiet "$work/$part.ntfs" 2>/dev/null
    wimcapture "$tree" "$work/$part.wim" --no-acls >/dev/null
    wimapply "$work/$part.wim" 1 "$work/$part.ntfs" >/dev/null
  done
  # Copy each sparse volume into the disk at its partition's offset, data extents only.
  python3 - "$work" $((1 + efi + msr)) $((1 + efi + msr + windows)) <<'PY'
import os, sys
work, windows_at, recovery_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
disk = os.open(os.path.join(work, "disk.raw"), os.O_WRONLY)
for name, at in (("windows.ntfs", windows_at), ("recovery.ntfs", recovery_at)):
    src = os.open(os.path.join(work, name), os.O_RDONLY)
    end, pos = os.fstat(src).st_size, 0
    while pos < end:
        try:
            pos = os.lseek(src, pos, os.SEEK_DATA)
        except OSError:
            break
        hole = os.lseek(src, pos, os.SEEK_HOLE)
        while pos < hole:
            chunk = os.pread(src, min(1 << 20, hole - pos), pos)
            os.pwrite(disk, chunk, (at << 20) + pos)
            pos += len(chunk)
    os.close(src)
os.close(disk)
PY
  qemu-img convert -f raw -O vhdx -o subformat=dynamic "$work/disk.raw" "$vhdx"
  rm -f "$work"/*.ntfs "$work"/*.wim "$work/disk.raw"
  echo "$want" >"$stamp"
fi
ls -l --block-size=M "$vhdx" | awk '{print "bench-image: " $9 " is " $5 " on disk, 30 GiB virtual"}' >&2

audit_bare="$bin audit --profile strict --system $system --software $software --format json"
commands=(-n "audit (bare hives)" "$audit_bare" -n "extract (VHDX)" "$extract $vhdx"
          -n "cat (bare hives)" "cat $system $software")
if "$bin" audit --help 2>&1 | grep -q -- "--image "; then
  commands+=(-n "audit (VHDX)" "$bin audit --profile strict --image $vhdx --format json")
fi
hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$work/times.json" "${commands[@]}" >&2
python3 - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, r in results.items():
    print("%-20s median %7.1f ms   user %6.1f ms   system %5.1f ms" % (name, r["median"] * 1e3, r["user"] * 1e3,
          r["system"] * 1e3))
bare = results["audit (bare hives)"]["median"]
if "audit (VHDX)" in results:
    vhdx = results["audit (VHDX)"]["median"]
    print("audit (VHDX) / audit (bare hives) = %.2f (target: at most 3)" % (vhdx / bare))
else:
    vhdx = bare + results["extract (VHDX)"]["median"]
    print("estimated audit (VHDX) = audit (bare) + extract = %.1f ms, %.2f times the bare audit (target: at most 3)"
          % (vhdx * 1e3, vhdx / bare))
PY
"$extract" "$vhdx" | tail -1 | sed 's/^/extract: /'
for _ in 1 2 3 4 5 6 7 8 9; do
  /usr/bin/time -f "%M" "$extract" "$vhdx" 2>&1 >/dev/null | tail -1
done | sort -n | sed -n 5p | awk '{printf "extract peak RSS median %.1f MB\n", $1 / 1024}'
