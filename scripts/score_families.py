#!/usr/bin/env python3
"""Leave-one-family-out check: score the dev set one source family at a time.

    .venv/bin/python scripts/score_families.py [--dump DUMP] [--gold GOLD] [--sources TSV] [--families a,b]

`dev_sources.tsv` says which article comes from which family (the letter of its id: a = US federal,
b = Korean ministries, c = Japan and other Asian governments, d = Europe, Africa, the Middle East and
the Americas). For each family this writes a dump of that family's records and the gold subset of its
documents, builds a warehouse from it through the main command (`scripts/score_dump.sh`, i.e. a real
Dagster refresh) and prints one table: family, articles, macro F1 and F1 of each kind. A rule written
while looking at three families should raise the figure of the fourth too; the gold is read only to
measure.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "gold" / "dev"
KINDS = ("person", "organization", "country", "event", "pledge", "agreement")
FAMILY_NAMES = {"a": "US federal", "b": "Korean ministries", "c": "Japan and Asia",
                "d": "Europe/Africa/ME/Americas"}


def dump_records(path: Path) -> list[list[str]]:
    """The records of a dump file as lists of lines (the `-` separator lines left out)."""
    records: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line == "-":
            if cur:
                records.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        records.append(cur)
    return records


def gold_subset(gold: dict, docs: set[str]) -> dict:
    """The gold file restricted to `docs`: entities and facts named in those documents only."""
    out = {k: v for k, v in gold.items() if not isinstance(v, list)}
    out["documents"] = [d for d in gold["documents"] if d["doc"] in docs]
    for kind in ("people", "organizations", "countries"):
        items = []
        for item in gold[kind]:
            item = dict(item, docs=[d for d in item["docs"] if d in docs])
            if "optional_docs" in item:
                item["optional_docs"] = [d for d in item["optional_docs"] if d in docs]
            if item["docs"] or item.get("optional_docs"):
                items.append(item)
        out[kind] = items
    events = []
    for ev in gold["events"]:
        ev = dict(ev, mentioned_in=[d for d in ev["mentioned_in"] if d in docs],
                  primary_in=[d for d in ev["primary_in"] if d in docs])
        if ev["mentioned_in"]:
            events.append(ev)
    out["events"] = events
    out["pledges"] = [p for p in gold["pledges"] if p["doc"] in docs]
    out["agreements"] = [a for a in gold["agreements"] if a["doc"] in docs]
    return out


def score(dump: Path, gold: Path) -> dict[str, float]:
    """F1 of each kind and the macro, read from the main command's output."""
    res = subprocess.run([str(ROOT / "scripts" / "score_dump.sh"), str(dump), str(gold)],
                         capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise RuntimeError(f"score_dump.sh failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    out: dict[str, float] = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in KINDS and len(parts) >= 4:
            out[parts[0]] = float(parts[3])
        m = re.match(r"macro F1 ([\d.]+)", line)
        if m:
            out["macro"] = float(m.group(1))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", type=Path, default=DEV / "dev_dump.txt")
    ap.add_argument("--gold", type=Path, default=DEV / "dev_gold.json")
    ap.add_argument("--sources", type=Path, default=DEV / "dev_sources.tsv")
    ap.add_argument("--families", default="", help="comma-separated family letters (default: all)")
    args = ap.parse_args()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    with open(args.sources, newline="", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh, delimiter="\t"))
    family_of = {r["doc"]: r["doc"][0] for r in sources}
    title_doc = {d["title"].strip(): d["doc"] for d in gold["documents"]}
    records = dump_records(args.dump)
    wanted = [f for f in args.families.split(",") if f] or sorted(set(family_of.values()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fam in wanted:
            docs = {d for d, f in family_of.items() if f == fam}
            recs = [r for r in records if r and title_doc.get(r[0].strip()) in docs]
            if not recs:
                print(f"family {fam}: no records in {args.dump}", file=sys.stderr)
                continue
            dump = Path(tmp) / f"family_{fam}.txt"
            dump.write_text("".join("-\n" + "\n".join(r) + "\n" for r in recs), encoding="utf-8")
            gfile = Path(tmp) / f"family_{fam}_gold.json"
            gfile.write_text(json.dumps(gold_subset(gold, docs)), encoding="utf-8")
            rows.append((fam, len(recs), score(dump, gfile)))
            print(f"scored family {fam}", file=sys.stderr)
    print(f"{'family':<30}{'n':>4}{'macro':>7}" + "".join(f"{k[:6]:>8}" for k in KINDS))
    for fam, n, s in rows:
        label = f"{fam} {FAMILY_NAMES.get(fam, '')}"
        print(f"{label:<30}{n:>4}{s.get('macro', 0):>7.3f}" + "".join(f"{s.get(k, 0):>8.3f}" for k in KINDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
