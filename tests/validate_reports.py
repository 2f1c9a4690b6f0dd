#!/usr/bin/python3
"""Checks the machine-readable writers with independent parsers, not with our own code.

SARIF must validate against the SARIF 2.1.0 JSON schema (fetched by scripts/setup.sh, not
committed); JUnit must parse as XML, its counts must match its test cases, and each test
case's element must follow the rule's verdict in the JSON report of the same run; NDJSON
must be one flat JSON object per line with exactly the fields docs/ndjson.md documents.
It checks the golden files and reports the real binary writes for the bundled example.
Usage: validate_reports.py SOURCE_DIR SMBAUDIT_BINARY WORK_DIR SARIF_SCHEMA
"""
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema

problems = []


def problem(path, message):
    problems.append(f"{path}: {message}")


def check_sarif(path, validator):
    doc = json.loads(path.read_text(encoding="utf-8"))
    for error in validator.iter_errors(doc):
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        problem(path, f"SARIF schema: at {pointer}: {error.message[:300]}")
    for run in doc.get("runs", []):
        rules = run["tool"]["driver"]["rules"]
        for result in run.get("results", []):
            if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
                problem(path, f"result {result['ruleId']} points at rule index {result['ruleIndex']}")
            if not result.get("partialFingerprints"):
                problem(path, f"result {result['ruleId']} has no partialFingerprints")
            # GitHub code scanning refuses results without an artifact location.
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            if not uri:
                problem(path, f"result {result['ruleId']} has an empty artifact uri")


def check_junit(path):
    root = ET.parse(path).getroot()
    if root.tag != "testsuites":
        problem(path, f"root element is <{root.tag}>, expected <testsuites>")
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for name, count in counted.items():
            if int(suite.get(name, "-1")) != count:
                problem(path, f"testsuite {name}={suite.get(name)} but it holds {count}")
        for case in cases:
            if not case.get("name") or not case.get("classname"):
                problem(path, "a testcase lacks name or classname")
    if not list(root.iter("testcase")):
        problem(path, "no test cases")


# What a JUnit test case holds for each verdict (docs/report-format.md): a waived finding is skipped.
JUNIT_ELEMENT = {"pass": None, "fail": "failure", "unknown": "error", "error": "error", "not_applicable": "skipped"}


def check_junit_verdicts(path, report_path):
    """Each test case's element against the verdict the JSON report of the same run gives its
    rule; returns the elements seen."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    wanted = {}
    for f in report["findings"]:
        waived = f.get("waiver", {}).get("state") == "active"
        wanted[f["rule"]] = "skipped" if waived else JUNIT_ELEMENT[f["status"]]
    seen = set()
    for case in ET.parse(path).getroot().iter("testcase"):
        rule = case.get("name", "").split(":")[0]
        seen.add(rule)
        got = next((child.tag for child in case if child.tag in ("failure", "error", "skipped")), None)
        if rule not in wanted:
            problem(path, f"test case {rule} is not in the JSON report")
        elif got != wanted[rule]:
            problem(path, f"test case {rule}: <{got}>, but its verdict calls for <{wanted[rule]}>")
    if seen != set(wanted):
        problem(path, f"rules without a test case: {sorted(set(wanted) - seen)}")
    return set(wanted.values())


def documented_ndjson_fields(doc_path):
    """{"common"|"host"|"finding": set of field names} from the tables of docs/ndjson.md."""
    fields, section = {}, None
    for line in doc_path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (?:Fields in every record|`(host|finding)` record)", line)
        if heading:
            section = heading.group(1) or "common"
            fields[section] = set()
        elif line.startswith("## "):
            section = None
        elif section and line.startswith("| `"):
            fields[section].update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return fields


def check_ndjson(path, documented):
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    if not records or records[0].get("record") != "host":
        problem(path, "the first line is not the host record")
    for i, record in enumerate(records, 1):
        if record.get("schema") != "smbaudit-ndjson/1":
            problem(path, f"line {i}: schema is {record.get('schema')!r}")
        for key, value in record.items():
            if isinstance(value, (dict, list)):
                problem(path, f"line {i}: field {key} is not flat")
        kind = record.get("record")
        if kind in ("host", "finding"):
            want = documented["common"] | documented[kind]
            if set(record) != want:
                problem(path, f"line {i}: fields not in docs/ndjson.md: {sorted(set(record) - want)}; "
                              f"documented but missing: {sorted(want - set(record))}")
    # One JSON type per field name across every record kind (null aside): log platforms map
    # a field's type from the first value they see.
    types = {}
    for record in records:
        for key, value in record.items():
            if value is not None:
                kind = ("boolean" if isinstance(value, bool) else "number" if isinstance(value, (int, float))
                        else "string" if isinstance(value, str) else type(value).__name__)
                types.setdefault(key, {}).setdefault(kind, record.get("record"))
    for key, kinds in types.items():
        if len(kinds) > 1:
            problem(path, f"field {key} has more than one type: {kinds}")
    findings = [r for r in records if r.get("record") == "finding"]
    if records and records[0].get("rules") != len(findings):
        problem(path, f"host record says {records[0].get('rules')} rules, {len(findings)} finding lines follow")


def main() -> int:
    source, binary, work, schema_path = (pathlib.Path(a) for a in sys.argv[1:5])
    work.mkdir(parents=True, exist_ok=True)
    if not schema_path.is_file():
        print(f"{schema_path}: no SARIF schema: run scripts/setup.sh (or scripts/fetch-sarif-schema.sh {schema_path})")
        return 1
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    golden = source / "tests" / "golden"
    # The example host through the built-in pack exercises every rule and evidence kind; the
    # same host with two facts it could not read gives unknown and error findings; and with
    # the example's waivers file, waived ones.
    example = source / "examples" / "ws01-facts.json"
    unread = json.loads(example.read_text(encoding="utf-8"))
    del unread["account_policy"]
    lsa = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
    unread["registry"][lsa] = {"error": {"kind": "error", "message": "RegOpenKeyExW: Access is denied (5)"}}
    unread_path = work / "ws01-unread-facts.json"
    unread_path.write_text(json.dumps(unread), encoding="utf-8")
    written, unreadable, waived = {}, {}, {}
    for name, files, facts, extra in (("example", written, example, []),
                                      ("example-unread", unreadable, unread_path, []),
                                      ("example-waived", waived, example,
                                       ["--waivers", str(source / "examples" / "waivers.json")])):
        files.update({fmt: work / f"{name}.{fmt}" for fmt in ("sarif", "junit", "ndjson", "json")})
        run = subprocess.run([str(binary), "audit", "--facts", str(facts), *extra,
                              *(arg for fmt, out in files.items() for arg in ("--format", fmt, "--output", str(out)))],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problem(binary, f"smbaudit exited {run.returncode}: {run.stderr.strip()}")
    runs = (written, unreadable, waived)
    for path in (golden / "report.sarif", *(r["sarif"] for r in runs)):
        check_sarif(path, validator)
    for path in (golden / "report.junit.xml", *(r["junit"] for r in runs)):
        check_junit(path)
    outcomes = check_junit_verdicts(golden / "report.junit.xml", golden / "report-waived.json")
    for r in runs:
        outcomes |= check_junit_verdicts(r["junit"], r["json"])
    if outcomes != {None, "failure", "error", "skipped"}:
        problem(work, f"the runs exercise too few JUnit outcomes to check the mapping: {sorted(map(str, outcomes))}")
    documented = documented_ndjson_fields(source / "docs" / "ndjson.md")
    for path in (golden / "report.ndjson", *(r["ndjson"] for r in runs)):
        check_ndjson(path, documented)
    for p in problems:
        print(p)
    print(f"checked SARIF, JUnit and NDJSON reports: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
