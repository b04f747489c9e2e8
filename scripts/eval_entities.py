"""Measure entity extraction against a gold file: per-document people/organization/country sets.

    .venv/bin/python scripts/eval_entities.py [--dump raw/000_d41fcb9709c6051a.txt]
        [--gold ../shared/gold/seed_gold.json] [-v]

Matching uses the scorer's own name keys (../shared/tools/score_warehouse.py), like the real
scorer: a predicted person/organization matches a gold one if any of its spellings does;
organizations a gold file lists as only implied (optional_docs) are neither hits nor errors.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orchestration.domain.extract.mentions.entities import extract_entities  # noqa: E402
from orchestration.domain.extract.models import Document  # noqa: E402
from orchestration.domain.ingest.dumps import ParsedRecord, parse_dump  # noqa: E402
from orchestration.domain.warehouse.quality import load_scorer  # noqa: E402

SHARED = ROOT.parent / "shared"


def read_documents(path: Path) -> list[Document]:
    """The documents of a dump, parsed by the domain's dump parser (rejected records left out)."""
    return [Document(r.document_id, r.title, r.body, r.published_date)
            for r in parse_dump(path) if isinstance(r, ParsedRecord)]


def prf(tp, pred, gold):
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", default=str(ROOT / "raw" / "000_d41fcb9709c6051a.txt"))
    ap.add_argument("--gold", default=str(SHARED / "gold" / "seed_gold.json"))
    ap.add_argument("-v", action="store_true", help="print the extracted entities per document")
    ap.add_argument("--grammar-only", action="store_true",
                    help="ablation: keep only government/international rows of the reference table, to see how "
                         "far grammar alone finds companies, universities and associations")
    args = ap.parse_args()
    if args.grammar_only:
        from orchestration.domain.extract import knowledge
        from orchestration.domain.extract.mentions import organizations
        records = tuple(r for r in knowledge.organization_records()
                        if r.organization_type in ("government", "international"))
        knowledge.organization_records = lambda: records
        organizations.organization_records = lambda: records
        for fn in (organizations._reference_surfaces, organizations._reference_lower,
                   organizations._reference_pattern, organizations._reference_pattern_ci,
                   organizations._weak_alias_pattern):
            fn.cache_clear()
    sc = load_scorer()
    gold = json.loads(Path(args.gold).read_text())
    docs = read_documents(Path(args.dump))
    title_doc = {d["title"].strip(): d["doc"] for d in gold["documents"]}
    person_alias = {sc.person_key(n): p["id"] for p in gold["people"] for n in [p["name"]] + p["aliases"]}
    org_alias = {sc.org_key(n): o["id"] for o in gold["organizations"] for n in [o["name"]] + o["aliases"]}
    want = {k: set() for k in ("person", "organization", "country")}
    optional = set()
    for p in gold["people"]:
        want["person"] |= {(d, p["id"]) for d in p["docs"]}
    for o in gold["organizations"]:
        want["organization"] |= {(d, o["id"]) for d in o["docs"]}
        optional |= {(d, o["id"]) for d in o.get("optional_docs", [])}
    for c in gold["countries"]:
        want["country"] |= {(d, c["iso3"]) for d in c["docs"]}
    pred = {k: [] for k in want}
    for doc in docs:
        gid = title_doc.get(doc.title.strip())
        if gid is None:
            continue
        res = extract_entities(doc)
        people = {p.person_id: p for p in res.people}
        orgs = {o.organization_id: o for o in res.organizations}
        if args.v:
            print(f"== {gid} {doc.title[:70]}")
            for p in res.people:
                print("   person", p)
            for o in res.organizations:
                print("   org   ", o)
        for kind in want:
            ids = {m.entity_id for m in res.mentions if m.entity_type == kind}
            for eid in ids:
                if kind == "person":
                    p = people.get(eid)
                    names = [p.full_name, *p.aliases] if p else [eid]
                    g = next((person_alias[sc.person_key(n)] for n in names if sc.person_key(n) in person_alias),
                             None)
                elif kind == "organization":
                    o = orgs.get(eid)
                    names = [o.name, o.acronym, *o.aliases] if o else [eid]
                    g = next((org_alias[sc.org_key(n)] for n in names if n and sc.org_key(n) in org_alias), None)
                else:
                    g = eid
                pred[kind].append((gid, g, eid))
    for kind in want:
        seen, tp, fps = set(), 0, []
        n_pred = 0
        for gid, g, eid in pred[kind]:
            if kind == "organization" and (gid, g) in optional:
                continue
            n_pred += 1
            if g is not None and (gid, g) in want[kind] and (gid, g) not in seen:
                seen.add((gid, g))
                tp += 1
            else:
                fps.append((gid, eid))
        p, r, f = prf(tp, n_pred, len(want[kind]))
        print(f"{kind:<13} P={p:.3f} R={r:.3f} F1={f:.3f}  tp={tp} pred={n_pred} gold={len(want[kind])}")
        missed = sorted(want[kind] - seen)
        if missed:
            print("   missed:", missed)
        if fps:
            print("   false positives:", sorted(fps))


if __name__ == "__main__":
    main()
