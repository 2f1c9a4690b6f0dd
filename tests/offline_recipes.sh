#!/usr/bin/env bash
# docs/offline.md, "Getting at the hives of an image": runs the recipes that need neither
# root nor FUSE, word for word, on a WIM and a VHDX built here from the example image's
# hives, and checks that each gives the same verdicts as auditing those hives directly.
# Every command run below must appear verbatim in the doc. Exit 77 (skipped) without the
# tools: Debian's wimtools, qemu-utils, fdisk and ntfs-3g.
#   tests/offline_recipes.sh SMBAUDIT SOURCE_DIR WORK_DIR
set -euo pipefail
binary=$1 source=$2 work=$3
smbaudit() { "$binary" "$@"; }  # the doc's commands call it by name
doc="$source/docs/offline.md"
for tool in wimlib-imagex qemu-img sfdisk mkntfs ntfscat dd python3; do
  command -v "$tool" >/dev/null || { echo "offline_recipes: $tool is not installed: skipped"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# Each recipe line, checked against the doc, then run.
run() {
  if ! grep -qF -- "$1" "$doc"; then
    echo "offline_recipes: docs/offline.md no longer says: $1" >&2
    exit 1
  fi
  eval "$1"
}

verdicts() {  # rule -> status of a JSON report, one per line
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("\n".join(f["rule"]+" "+f["status"] for f in r["findings"]))' "$1"
}

tree="$source/examples/golden-image"
smbaudit audit --image-root "$tree" --format json --output expected.json -q
verdicts expected.json > expected.txt

# The images: a WIM of the volume, and a GPT disk whose NTFS partition holds it, as a VHDX.
wimlib-imagex capture "$tree" install.wim golden --no-acls >/dev/null
truncate -s 16M volume.ntfs
mkntfs -F -Q -q volume.ntfs 2>/dev/null
wimlib-imagex apply install.wim 1 volume.ntfs >/dev/null
truncate -s 20M disk.raw
printf 'label: gpt\nstart=2048, size=32768, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' | sfdisk -q disk.raw
dd if=volume.ntfs of=disk.raw bs=512 seek=2048 conv=notrunc status=none
qemu-img convert -O vhdx disk.raw golden.vhdx
rm -f volume.ntfs disk.raw

check() {  # the report of a recipe against the hives' own
  verdicts "$1" > got.txt
  if ! diff -u expected.txt got.txt; then
    echo "offline_recipes: $2 gave other verdicts than the hives themselves" >&2
    exit 1
  fi
}

# WIM: extract the two hives of image 1.
run 'wimlib-imagex extract install.wim 1 /Windows/System32/config/SYSTEM /Windows/System32/config/SOFTWARE --dest-dir=hives --no-acls'
run 'smbaudit audit --system hives/SYSTEM --software hives/SOFTWARE --format json --output report.json'
check report.json "the WIM recipe"
rm -rf hives report.json

# VHDX: convert to raw, find the Windows partition, copy it out, read the hives with ntfscat.
run 'qemu-img convert -O raw golden.vhdx golden.raw'
start=$(sfdisk --json golden.raw | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["start"])')
size=$(sfdisk --json golden.raw | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["size"])')
grep -qF 'sfdisk --dump golden.raw' "$doc" || { echo "offline_recipes: docs/offline.md no longer lists the partitions with sfdisk --dump" >&2; exit 1; }
START=$start SIZE=$size
run 'dd if=golden.raw of=windows.ntfs bs=512 skip=$START count=$SIZE'
run 'ntfscat windows.ntfs /Windows/System32/config/SYSTEM > SYSTEM'
run 'ntfscat windows.ntfs /Windows/System32/config/SOFTWARE > SOFTWARE'
run 'smbaudit audit --system SYSTEM --software SOFTWARE --format json --output report.json'
check report.json "the VHDX recipe"

# What the doc says smbaudit answers when given the image itself.
for image in install.wim golden.vhdx; do
  if smbaudit audit --system "$image" 2>err.txt; then
    echo "offline_recipes: --system $image was accepted" >&2
    exit 1
  fi
  grep -q "not a registry hive" err.txt || { cat err.txt >&2; exit 1; }
done
echo "offline_recipes: the WIM and VHDX recipes of docs/offline.md give the hives' own verdicts"
