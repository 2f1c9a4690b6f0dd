#!/usr/bin/python3
"""Tests scripts/refresh-patch-table.py on CVE records written here (no network, no checkout),
and checks the committed table rules/data/patch-level.json against its schema and itself.
Usage: test_refresh.py SOURCE_DIR
"""
import datetime
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

FAILURES = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)


def record(root, cve, title, published, affected, assigner="microsoft", state="PUBLISHED"):
    year, number = cve.split("-")[1], int(cve.split("-")[2])
    path = root / "cves" / year / f"{number // 1000}xxx" / f"{cve}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "dataType": "CVE_RECORD",
        "cveMetadata": {"cveId": cve, "state": state, "assignerShortName": assigner,
                        "datePublished": published + "T17:00:00.000Z", "dateUpdated": published + "T18:00:00.000Z"},
        "containers": {"cna": {"title": title, "affected": [
            {"vendor": "Microsoft", "product": product,
             "versions": [{"version": start, "lessThan": less, "versionType": "custom", "status": "affected"}]}
            for product, start, less in affected]}}}))


def main() -> int:
    source = pathlib.Path(sys.argv[1])
    script = source / "scripts" / "refresh-patch-table.py"
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        record(root, "CVE-2031-1000", "Windows SMB Client Elevation of Privilege Vulnerability", "2031-02-10", [
            ("Windows 10 Version 1809", "10.0.17763.0", "10.0.17763.9000"),
            ("Windows Server 2019", "10.0.17763.0", "10.0.17763.9000"),
            ("Windows Server 2019 (Server Core installation)", "10.0.17763.0", "10.0.17763.9000"),
            ("Windows 11 Version 24H2", "10.0.26100.0", "10.0.26100.9100"),
            ("Windows Server 2025", "10.0.26100.0", "10.0.26100.33100"),
            ("Windows 12 Version 27H1", "10.0.31000.0", "10.0.31000.10")])
        record(root, "CVE-2031-1001", "Windows NTLM Spoofing Vulnerability", "2031-03-10", [
            ("Windows 11 version 22H2", "10.0.22621.0", "10.0.22631.7000")])
        record(root, "CVE-2031-1002", "Windows Graphics Remote Code Execution Vulnerability", "2031-03-10", [
            ("Windows Server 2022", "10.0.20348.0", "10.0.20348.6000")])
        record(root, "CVE-2029-1003", "Windows Kerberos Denial of Service Vulnerability", "2029-12-01", [
            ("Windows Server 2022", "10.0.20348.0", "10.0.20348.1000")])
        record(root, "CVE-2031-1004", "Windows Kerberos Elevation of Privilege Vulnerability", "2031-04-14", [
            ("Windows Server 2022", "10.0.20348.0", "10.0.20348.6100")], state="REJECTED")
        out = root / "table.json"
        run = subprocess.run([sys.executable, str(script), "--cvelist", str(root), "--since", "2031-01-01",
                              "--generated", "2031-05-01", "--output", str(out)], capture_output=True, text=True)
        check(run.returncode == 0, f"script failed: {run.stderr}")
        check("Windows 12 Version 27H1" in run.stderr, "an unknown product is reported on stderr")
        table = json.loads(out.read_text())
        ids = [c["id"] for c in table["cves"]]
        check(ids == ["CVE-2031-1000", "CVE-2031-1001"], f"kept records by title, date and state: {ids}")
        check(table["as_of"] == "2031-03-10", "as_of is the newest publication date")
        check(table["generated"] == "2031-05-01", "generated is the date given")
        smb = table["cves"][0]
        check(smb["component"] == "smb-client", "component from the title")
        by = {(f["build"], f["family"]): f for f in smb["fixes"]}
        check(by.get((17763, "any"), {}).get("fixed_ubr") == 9000, "client and server with one fix merge to 'any'")
        check(by.get((26100, "client"), {}).get("fixed_ubr") == 9100, "24H2 keeps its own fix")
        check(by.get((26100, "server"), {}).get("fixed_ubr") == 33100, "Server 2025 keeps its own fix")
        check(not any(f["build"] == 31000 for f in smb["fixes"]), "an unknown product is left out")
        ntlm = table["cves"][1]["fixes"][0]
        check(ntlm["build"] == 22621 and ntlm["fixed_ubr"] is None and "22631" in ntlm.get("note", ""),
              "a range ending on another build gives no fixed revision, with a note")
        check(set(table["builds"]) == {"17763", "22621", "26100"}, f"builds: {sorted(table['builds'])}")
        empty = subprocess.run([sys.executable, str(script), "--cvelist", str(root / "nothing")],
                               capture_output=True, text=True)
        check(empty.returncode == 2 and "not a cvelistV5 checkout" in empty.stderr, "a wrong folder is refused")

    schema = json.loads((source / "rules" / "schema" / "patch-level.schema.json").read_text())
    table = json.loads((source / "rules" / "data" / "patch-level.json").read_text())
    for error in jsonschema.Draft202012Validator(schema).iter_errors(table):
        FAILURES.append(f"rules/data/patch-level.json: {error.message[:200]}")
    check(table["as_of"] == max(c["published"] for c in table["cves"]), "committed table: as_of is its newest record")
    builds = {int(b) for b in table["builds"]}
    check(all(f["build"] in builds for c in table["cves"] for f in c["fixes"]), "committed table: builds lists them all")
    for c in table["cves"]:
        datetime.date.fromisoformat(c["published"])
    required = {"CVE-2025-33073", "CVE-2025-55234", "CVE-2025-24054", "CVE-2025-21311"}
    check(required <= {c["id"] for c in table["cves"]}, "committed table holds the CVEs issue 13 names")

    for f in FAILURES:
        print(f"FAIL: {f}")
    print(f"{CHECKS[0] - len([f for f in FAILURES if not f.startswith('rules/data')])} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
