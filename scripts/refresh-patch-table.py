#!/usr/bin/python3
"""Regenerates rules/data/patch-level.json from a local checkout of the CVE list.

The table says, for each SMB, NTLM and Kerberos vulnerability Microsoft published since a
date, which update build revision (UBR) of each Windows build fixes it. Its only input is
the CVE records' JSON (the CVEProject/cvelistV5 layout: cves/YYYY/NNxxx/CVE-YYYY-NNNNN.json);
nothing is downloaded here, and the build and the tests never run this script.

    scripts/refresh-patch-table.py --cvelist ~/src/cvelistV5 [--since 2024-01-01]
        [--output rules/data/patch-level.json] [--cve CVE-2025-33073 ...]
        [--generated YYYY-MM-DD] [--markdown]

Which records: assigned by Microsoft, PUBLISHED, published on or after --since, and titled
for SMB, NTLM or Kerberos (see TITLE). --cve adds records by id whatever their title.
What each record gives: its "affected" entries ("product", "versions[].version" and
"lessThan", versionType "custom"). A product name maps to one Windows build and family
(PRODUCTS); a range whose lessThan is on another build than the product's gives no fixed
revision for that build (recorded with a note: such a host is treated as not fixed, the
weaker reading). A product the map does not know is reported on stderr and left out, so a
new Windows release shows up as a warning, never as a silent pass.
The format of the output: docs/patch-level.md.
"""
import argparse
import datetime
import json
import pathlib
import re
import sys

SCHEMA = "smbaudit-patch-level/1"

# Titles of the records the table keeps (Microsoft names the component first).
TITLE = re.compile(r"\b(SMB|SMBv3|NTLM|Kerberos|KDC)\b")

# Microsoft's product names in CVE records -> (build, family). "(Server Core installation)"
# is folded into the product it installs.
PRODUCTS = {
    "windows server 2008 service pack 2": (6003, "server"),
    "windows server 2008 r2 service pack 1": (7601, "server"),
    "windows server 2012": (9200, "server"),
    "windows server 2012 r2": (9600, "server"),
    "windows 10 version 1507": (10240, "client"),
    "windows 10 version 1607": (14393, "client"),
    "windows server 2016": (14393, "server"),
    "windows 10 version 1809": (17763, "client"),
    "windows server 2019": (17763, "server"),
    "windows server version 2004": (19041, "server"),
    "windows 10 version 21h2": (19044, "client"),
    "windows 10 version 22h2": (19045, "client"),
    "windows server 2022": (20348, "server"),
    "windows 11 version 22h2": (22621, "client"),
    "windows 11 version 22h3": (22631, "client"),
    "windows 11 version 23h2": (22631, "client"),
    "windows server 2022, 23h2 edition": (25398, "server"),
    "windows 11 version 24h2": (26100, "client"),
    "windows server 2025": (26100, "server"),
    "windows 11 version 25h2": (26200, "client"),
    "windows 11 version 26h1": (28000, "client"),
}

BUILD_NAMES = {
    6003: "Windows Server 2008 SP2",
    7601: "Windows Server 2008 R2 SP1",
    9200: "Windows Server 2012",
    9600: "Windows Server 2012 R2",
    10240: "Windows 10 1507 (LTSB 2015)",
    14393: "Windows 10 1607 (LTSB 2016) / Windows Server 2016",
    17763: "Windows 10 1809 (LTSC 2019) / Windows Server 2019",
    19041: "Windows Server, version 2004",
    19044: "Windows 10 21H2 (LTSC 2021)",
    19045: "Windows 10 22H2",
    20348: "Windows Server 2022",
    22621: "Windows 11 22H2",
    22631: "Windows 11 23H2",
    25398: "Windows Server 2022, 23H2 Edition",
    26100: "Windows 11 24H2 / Windows Server 2025",
    26200: "Windows 11 25H2",
    28000: "Windows 11 26H1",
}


def component(title: str) -> str:
    t = title.lower()
    if "smb client" in t:
        return "smb-client"
    if "smb server" in t or "smbv3 server" in t:
        return "smb-server"
    if "smb" in t:
        return "smb"
    if "ntlm" in t:
        return "ntlm"
    return "kerberos"


def parse_version(text: str):
    """'10.0.26100.4349' -> (26100, 4349); None for anything else."""
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[2]), int(parts[3])


def product_key(name: str) -> str:
    name = re.sub(r"\s*\(server core installation\)\s*$", "", name.strip(), flags=re.I)
    return name.lower()


def fixes_of(record: dict, warn) -> list:
    cve = record["cveMetadata"]["cveId"]
    found = {}  # (build, family) -> entry
    for affected in record["containers"]["cna"].get("affected", []):
        product = affected.get("product", "")
        mapped = PRODUCTS.get(product_key(product))
        if not mapped:
            warn(f"{cve}: product '{product}' is not in the product map; left out")
            continue
        build, family = mapped
        for v in affected.get("versions", []):
            if v.get("status") != "affected" or "lessThan" not in v:
                continue
            end = parse_version(v["lessThan"])
            if end is None:
                warn(f"{cve}: {product}: unreadable lessThan '{v['lessThan']}'; left out")
                continue
            entry = {"build": build, "family": family, "products": [product]}
            if end[0] == build:
                entry["fixed_ubr"] = end[1]
            else:
                entry["fixed_ubr"] = None
                entry["note"] = (f"the record's range ({v.get('version')} to before {v['lessThan']}) "
                                 f"ends on build {end[0]}, so it names no fixed revision of build {build}")
            key = (build, family)
            old = found.get(key)
            if old is None:
                found[key] = entry
                continue
            if product not in old["products"]:
                old["products"].append(product)
            # Two ranges for one build and family: the later fix decides (the weaker reading).
            if old["fixed_ubr"] is None or entry["fixed_ubr"] is None:
                old["fixed_ubr"] = None
                old.setdefault("note", entry.get("note", "conflicting ranges"))
            else:
                old["fixed_ubr"] = max(old["fixed_ubr"], entry["fixed_ubr"])
    # One entry per build when client and server share the fix.
    out = []
    for build in sorted({b for b, _ in found}):
        client, server = found.get((build, "client")), found.get((build, "server"))
        if client and server and client["fixed_ubr"] == server["fixed_ubr"] and "note" not in client \
                and "note" not in server:
            merged = dict(client, family="any", products=client["products"] + server["products"])
            out.append(merged)
        else:
            out.extend(e for e in (client, server) if e)
    for e in out:
        e["products"] = sorted(set(e["products"]))
    return out


def load_records(root: pathlib.Path, since: datetime.date, extra: set, warn):
    for year_dir in sorted((root / "cves").glob("[0-9][0-9][0-9][0-9]")):
        if int(year_dir.name) < since.year:
            continue
        for path in sorted(year_dir.rglob("CVE-*.json")):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                warn(f"{path}: cannot read: {e}")
                continue
            meta = record.get("cveMetadata", {})
            cna = record.get("containers", {}).get("cna", {})
            if meta.get("state") != "PUBLISHED" or meta.get("assignerShortName") != "microsoft":
                continue
            published = (meta.get("datePublished") or "")[:10]
            if not published or datetime.date.fromisoformat(published) < since:
                continue
            if meta.get("cveId") not in extra and not TITLE.search(cna.get("title", "")):
                continue
            yield path.relative_to(root).as_posix(), record


def build_table(root: pathlib.Path, since: datetime.date, extra: set, generated: str, warn) -> dict:
    cves = []
    for relpath, record in load_records(root, since, extra, warn):
        meta, cna = record["cveMetadata"], record["containers"]["cna"]
        fixes = fixes_of(record, warn)
        if not fixes:
            warn(f"{meta['cveId']}: no Windows build in the product map; left out")
            continue
        cves.append({
            "id": meta["cveId"],
            "title": cna.get("title", ""),
            "component": component(cna.get("title", "")),
            "published": meta["datePublished"][:10],
            "source": f"CVEProject/cvelistV5 {relpath} (record updated {meta.get('dateUpdated', '')[:10]})",
            "fixes": fixes,
        })
    cves.sort(key=lambda c: (c["published"], c["id"]))
    builds = sorted({f["build"] for c in cves for f in c["fixes"]})
    return {
        "schema": SCHEMA,
        "generated": generated,
        "as_of": max((c["published"] for c in cves), default=""),
        "since": since.isoformat(),
        "source": "CVE records (CVEProject/cvelistV5): containers.cna.affected[].versions[].lessThan",
        "builds": {str(b): BUILD_NAMES.get(b, "") for b in builds},
        "cves": cves,
    }


def markdown(table: dict) -> str:
    builds = [int(b) for b in table["builds"]]
    lines = ["| CVE | component | published | " + " | ".join(str(b) for b in builds) + " |",
             "|---|---|---|" + "---|" * len(builds)]
    for c in table["cves"]:
        cells = []
        for b in builds:
            fixes = [f for f in c["fixes"] if f["build"] == b]
            cell = []
            for f in fixes:
                ubr = "none" if f["fixed_ubr"] is None else str(f["fixed_ubr"])
                cell.append(ubr if f["family"] == "any" else f"{f['family'][0]}:{ubr}")
            cells.append(" ".join(cell) or "-")
        lines.append(f"| {c['id']} | {c['component']} | {c['published']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cvelist", required=True, type=pathlib.Path, help="root of a cvelistV5 checkout")
    p.add_argument("--since", default="2024-01-01", help="oldest publication date kept (YYYY-MM-DD)")
    p.add_argument("--cve", action="append", default=[], help="also keep this record whatever its title")
    p.add_argument("--generated", default=datetime.date.today().isoformat(), help="date written as 'generated'")
    p.add_argument("--output", type=pathlib.Path, help="write here (default: standard output)")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown instead")
    args = p.parse_args()
    if not (args.cvelist / "cves").is_dir():
        print(f"{args.cvelist}: no cves/ folder here: not a cvelistV5 checkout", file=sys.stderr)
        return 2
    warnings = []
    table = build_table(args.cvelist, datetime.date.fromisoformat(args.since), set(args.cve), args.generated,
                        warnings.append)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not table["cves"]:
        print("no record matched: nothing written", file=sys.stderr)
        return 1
    text = markdown(table) if args.markdown else json.dumps(table, indent=1) + "\n"
    if args.output:
        tmp = args.output.with_suffix(args.output.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.output)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
