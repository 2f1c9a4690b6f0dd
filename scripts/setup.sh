#!/usr/bin/env bash
# Installs what smbaudit needs on Debian/Ubuntu, only what is missing.
#   scripts/setup.sh            native build: compiler, CMake, Ninja, the five libraries and hivex
#                               (offline hives; libhivex-bin's hivexget is the benchmark's baseline),
#                               the image-file libraries and tools (libvhdi, libfsntfs, wimtools...)
#   scripts/setup.sh --windows  also the MinGW-w64 cross compiler and Wine (for the mingw preset)
# Either way it then fetches the SARIF schema the report tests use (scripts/fetch-sarif-schema.sh).
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config clang-format libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
          libgtest-dev libgmock-dev googletest python3-jsonschema
          libhivex-dev libhivex-bin
          # Image files (src/sources/image): libyal's LGPL readers (linked dynamically), wimlib's
          # tools (GPL: run as separate processes), and what the tests build fixture images with.
          libvhdi-dev libfsntfs-dev libbfio-dev libvmdk-dev libqcow-dev wimtools ntfs-3g fdisk qemu-utils
          chromium  # the HTML report test renders the page headless
          clang libclang-rt-14-dev)  # clang and its libFuzzer/sanitizer runtimes: the fuzz preset
if [[ "${1:-}" == "--windows" ]]; then
  packages+=(g++-mingw-w64-x86-64-posix wine wine64)
fi
# npm fetches the SARIF schema the report tests validate against (below); machines that have
# Node.js from elsewhere keep theirs.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The SARIF 2.1.0 schema for tests/validate_reports.py (the CMake default SMBAUDIT_SARIF_SCHEMA).
"$(dirname "$0")/fetch-sarif-schema.sh" "$(cd "$(dirname "$0")/.." && pwd)/build/deps/sarif-2.1.0-rtm.5.json"
