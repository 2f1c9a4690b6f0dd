#!/bin/sh
# CMAKE_CROSSCOMPILING_EMULATOR for the mingw preset: runs a Windows program under Wine,
# headless and without Mono/Gecko install prompts. ctest passes WINEPREFIX (a folder in the
# build tree, see tests/CMakeLists.txt); by hand:
#   WINEPREFIX=$PWD/build/mingw/wineprefix cmake/wine-run.sh build/mingw/smbaudit.exe --version
# Callers' own settings win, so WINEDEBUG=+relay etc. still work for debugging.
: "${WINEDEBUG:=-all}"
: "${WINEDLLOVERRIDES:=mscoree,mshtml=}"
export WINEDEBUG WINEDLLOVERRIDES
if [ -n "${WINEPREFIX:-}" ]; then
  export WINEPREFIX
  mkdir -p "$WINEPREFIX"
fi
exec "${SMBAUDIT_WINE:-wine}" "$@"
