#!/usr/bin/python3
"""Checks the machine-readable writers with independent parsers, not with our own code.

SARIF must validate against the official OASIS 2.1.0 schema; JUnit must parse as XML and
its counts must match its test cases; NDJSON must be one flat JSON object per line.
It checks the golden files and reports the real binary writes for the bundled example.
Usage: validate_reports.py SOURCE_DIR SMBAUDIT_BINARY WORK_DIR
"""
import json
import pathlib
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


def check_ndjson(path):
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
    findings = [r for r in records if r.get("record") == "finding"]
    if records and records[0].get("rules") != len(findings):
        problem(path, f"host record says {records[0].get('rules')} rules, {len(findings)} finding lines follow")


def main() -> int:
    source, binary, work = (pathlib.Path(a) for a in sys.argv[1:4])
    work.mkdir(parents=True, exist_ok=True)
    schema = json.loads((source / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    golden = source / "tests" / "golden"
    # The example host through the built-in pack exercises every rule and evidence kind.
    written = {fmt: work / f"example.{fmt}" for fmt in ("sarif", "junit", "ndjson")}
    for fmt, out in written.items():
        run = subprocess.run([str(binary), "audit", "--facts", str(source / "examples" / "ws01-facts.json"),
                              "--format", fmt, "--output", str(out)], capture_output=True, text=True)
        if run.returncode != 0:
            problem(out, f"smbaudit exited {run.returncode}: {run.stderr.strip()}")
    for path in (golden / "report.sarif", written["sarif"]):
        check_sarif(path, validator)
    for path in (golden / "report.junit.xml", written["junit"]):
        check_junit(path)
    for path in (golden / "report.ndjson", written["ndjson"]):
        check_ndjson(path)
    for p in problems:
        print(p)
    print(f"checked SARIF, JUnit and NDJSON reports: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
