#!/usr/bin/env bash
# Rebuilds examples/golden-image/Windows/System32/config/{SYSTEM,SOFTWARE}: the fixture image
# 'golden-26100-pro' (tests/support/windows_images.cpp), written by smbaudit_make_hive from an
# empty hive through hivex. A test checks the committed hives still audit like the fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target smbaudit_make_hive >/dev/null
rm -rf examples/golden-image/Windows
build/dev/tests/smbaudit_make_hive --image golden-26100-pro examples/golden-image
echo "make-example-image: wrote examples/golden-image/Windows/System32/config/{SYSTEM,SOFTWARE}" >&2
