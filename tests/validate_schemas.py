#!/usr/bin/python3
"""Validates every rule file and profile against the JSON Schemas in rules/schema/.

The C++ loader is the authority and is stricter; this test keeps the editor schemas honest
so that they never reject a valid pack or accept a shape the loader would refuse.
Usage: validate_schemas.py RULES_DIR
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    rules = pathlib.Path(sys.argv[1])
    rule_schema = json.loads((rules / "schema" / "rule-file.schema.json").read_text())
    profile_schema = json.loads((rules / "schema" / "profile.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(rule_schema)
    jsonschema.Draft202012Validator.check_schema(profile_schema)
    checked, failures = 0, 0
    for schema, files in ((rule_schema, sorted(rules.glob("*.json"))),
                          (profile_schema, sorted((rules / "profiles").glob("*.json")))):
        validator = jsonschema.Draft202012Validator(schema)
        for path in files:
            checked += 1
            for error in validator.iter_errors(json.loads(path.read_text())):
                failures += 1
                pointer = "/" + "/".join(str(p) for p in error.absolute_path)
                print(f"{path}: at {pointer}: {error.message[:300]}")
    print(f"{checked} files checked against the schemas, {failures} problems")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
