#!/usr/bin/python3
"""Round trip of `smbaudit remediate --format reg` through Wine's regedit, in a Wine prefix of
its own (WINEPREFIX, set by ctest to a folder in the build tree).

1. smbaudit.exe writes FIX.reg and FIX.undo.reg for a fixture report.
2. The undo .reg is imported first: it must put the registry in the state the report observed
   (values it saw set, values it saw absent deleted), checked with `reg query`.
3. The fix .reg is imported: every value must hold the control's hardened value (an expected
   file written by hand from the control reference, not from the rule files).
4. The undo .reg is imported again: the observed state must be back, exactly.

Re-auditing the prefix (the findings turn to pass; the undo restores the original audit
result exactly) is the scenario remediate_reg_roundtrip in tests/wine/scenarios.py, which
remediates a live audit of a Wine prefix. This script keeps the fixture reports, whose
domain-member and domain-controller values a Wine prefix cannot be audited for.

Usage: regedit_roundtrip.py EMULATOR SMBAUDIT_EXE REPORT HARDENED_JSON WORK_DIR
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

from scenarios import start_wineserver, stop_wineserver

WINESERVER = shutil.which("wineserver") or "wineserver"

START = {"boot": 0, "system": 1, "automatic": 2, "automatic_delayed": 2, "manual": 3, "disabled": 4}


class Failure(Exception):
    pass


def run(emulator, *args, check=True):
    result = subprocess.run([emulator, *args], capture_output=True, text=True, errors="replace", timeout=300)
    if check and result.returncode != 0:
        raise Failure(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result


def query_key(emulator, key):
    """{name lower: (type, data)} of a key's values as `reg query` shows them; {} when it does not exist."""
    result = run(emulator, "reg", "query", key, check=False)
    values = {}
    if result.returncode != 0:
        return values
    for line in result.stdout.replace("\r", "").split("\n"):
        if not line.startswith("    "):
            continue  # the key's own line, blank lines
        parts = line.strip().split("    ")
        if len(parts) < 2:
            raise Failure(f"cannot parse reg query output for {key}: {line!r}")
        values[parts[0].lower()] = (parts[1], parts[2] if len(parts) > 2 else "")
    return values


def shown(reg_type, data):
    """Data as `reg query` prints it."""
    if reg_type in ("REG_DWORD", "REG_QWORD"):
        return hex(data)
    if reg_type == "REG_MULTI_SZ":
        return "\\0".join(data)
    return data


def observed_state(report):
    """{(key, name lower): (key, name, type, data) or None for absent} from the report's evidence."""
    state, absent_keys = {}, set()
    for finding in report["findings"]:
        for e in finding["evidence"]:
            if e["kind"] == "registry" and e.get("name") is None and e.get("present") is False:
                absent_keys.add(e["path"].lower())
            elif e["kind"] == "registry" and e.get("name") and "present" in e:
                value = (e["path"], e["name"], e["type"], e["data"]) if e["present"] else None
                state[(e["path"].lower(), e["name"].lower())] = value
            elif e["kind"] == "service" and e.get("start_type"):
                key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\" + e["name"]
                state[(key.lower(), "start")] = (key, "Start", "REG_DWORD", START[e["start_type"]])
    return state, absent_keys


def expect(emulator, targets, want_of, what):
    """Checks every (key, name) in targets against want_of(key, name, hardened): one reg query per key."""
    keys = {}
    for key, name, hardened in targets:
        keys.setdefault(key, []).append((name, hardened))
    for key, names in keys.items():
        values = query_key(emulator, key)
        for name, hardened in names:
            want, got = want_of(key, name, hardened), values.get(name.lower())
            if want is None and got is not None:
                raise Failure(f"{what}: {key}\\{name} should be absent, is {got}")
            if want is not None and got != (want[0], shown(*want)):
                raise Failure(f"{what}: {key}\\{name} should be {want[0]} {shown(*want)!r}, is {got}")


def main():
    emulator, exe, report_path, hardened_path, work = sys.argv[1:6]
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    # One wineserver for every command below; its first program creates or updates the prefix.
    pathlib.Path(os.environ["WINEPREFIX"]).mkdir(parents=True, exist_ok=True)
    try:
        start_wineserver(emulator, WINESERVER, os.environ, timeout=300)  # may create the prefix
    except subprocess.SubprocessError as e:
        raise Failure(f"cannot start the Wine prefix {os.environ['WINEPREFIX']}: {e}") from e
    try:
        return round_trip(emulator, exe, report_path, hardened_path, work)
    finally:
        stop_wineserver(WINESERVER, os.environ)


def round_trip(emulator, exe, report_path, hardened_path, work):
    report = json.loads(pathlib.Path(report_path).read_text())
    hardened = json.loads(pathlib.Path(hardened_path).read_text())
    fix, undo = work / "fix.reg", work / "fix.undo.reg"
    run(emulator, exe, "remediate", "--report", str(report_path), "--format", "reg", "--output", str(fix))

    state, absent_keys = observed_state(report)
    targets = [(key, name, tuple(v)) for key, values in hardened.items() if not key.startswith("_")
               for name, v in values.items()]

    def before(key, name):
        if (key.lower(), name.lower()) in state:
            v = state[(key.lower(), name.lower())]
            return None if v is None else (v[2], v[3])
        if key.lower() in absent_keys:
            return None
        raise Failure(f"the report has no evidence for {key}\\{name}")

    def observed(key, name, _hardened):
        return before(key, name)

    def fixed(_key, _name, hardened):
        return hardened

    run(emulator, "regedit", "/S", str(undo))
    expect(emulator, targets, observed, "the undo .reg as a seed (the observed state)")
    run(emulator, "regedit", "/S", str(fix))
    expect(emulator, targets, fixed, "after the fix .reg (hardened value)")
    run(emulator, "regedit", "/S", str(undo))
    expect(emulator, targets, observed, "after the undo .reg (the observed state again)")
    print(f"{pathlib.Path(report_path).name}: {len(targets)} values hardened by the fix .reg and restored by the "
          f"undo .reg under Wine regedit")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
