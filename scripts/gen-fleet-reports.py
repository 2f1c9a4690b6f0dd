#!/usr/bin/python3
"""Generates a fleet of smbaudit JSON reports for the summary benchmark.

Takes one real report (smbaudit audit --format json) as a template and writes COUNT
variants into OUT_DIR: varied host names, times, roles and verdicts (weighted towards
pass, with some fail, unknown, error and waivers), scores and counts recomputed with the
documented formula so every report is consistent. Deterministic for a given --seed.
Usage: gen-fleet-reports.py TEMPLATE.json OUT_DIR [--count 10000] [--seed 1]
"""
import argparse
import copy
import json
import pathlib
import random

WEIGHTS = {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}
STATUSES = ["pass", "fail", "not_applicable", "unknown", "error"]


def rescore(report):
    layers = {}
    total = {"pass": 0, "fail": 0, "not_applicable": 0, "unknown": 0, "error": 0}
    weights = {}
    for f in report["findings"]:
        counts = layers.setdefault(f["layer"], dict.fromkeys(total, 0))
        counts[f["status"]] += 1
        total[f["status"]] += 1
        if f["status"] in ("pass", "fail"):
            w = WEIGHTS[f["severity"]]
            got, out_of = weights.get(f["layer"], (0, 0))
            weights[f["layer"]] = (got + (w if f["status"] == "pass" else 0), out_of + w)
    def pct(pair):
        return None if pair[1] == 0 else round(1000.0 * pair[0] / pair[1]) / 10.0
    report["score"]["layers"] = {layer: pct(weights.get(layer, (0, 0))) for layer in layers}
    all_w = (sum(p for p, _ in weights.values()), sum(o for _, o in weights.values()))
    report["score"]["overall"] = pct(all_w)
    report["counts"] = {"total": total, "layers": layers}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("template")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    template = json.loads(pathlib.Path(args.template).read_text())
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # Each host has its own posture: how likely its rules are to fail.
    for i in range(args.count):
        r = copy.deepcopy(template)
        kind = rng.choices(["WS", "SRV", "DC"], [80, 17, 3])[0]
        r["host"]["name"] = f"{kind}{i:05d}"
        r["host"]["role"] = {"WS": "workstation", "SRV": "member_server", "DC": "domain_controller"}[kind]
        r["host"]["os_build"] = rng.choice([17763, 19045, 20348, 22631, 26100])
        r["generated_at"] = f"2026-11-{rng.randint(1, 21):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        r["tool"]["version"] = rng.choice(["0.1.0", "0.2.0"])
        posture = rng.random()
        for f in r["findings"]:
            f["status"] = rng.choices(STATUSES, [1 - posture * 0.6, posture * 0.5, 0.05, 0.04, 0.01])[0]
            f.pop("waiver", None)
            if f["status"] == "fail" and rng.random() < 0.03:
                f["waiver"] = {"state": rng.choice(["active", "expired"]), "justification": "generated",
                               "expires": "2026-12-31", "file": "waivers.json", "index": 0}
        rescore(r)
        (out / f"{r['host']['name']}-{r['generated_at'][:10]}.json").write_text(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
