#!/usr/bin/env python3
"""Measure fact extraction (events, pledges, agreements) against a gold file.

    .venv/bin/python scripts/eval_facts.py [--dump raw/000_....txt] [--gold ../shared/gold/seed_gold.json] [-v]

Parses the dump with the domain's parser (`orchestration.domain.ingest.dumps.parse_dump`), runs entity
extraction and extract_facts, resolves events across documents, and scores with the matching rules of
shared/tools/score_warehouse.py (loaded by `domain.warehouse.quality.load_scorer`; its functions are
imported, not copied). The gold is read only to
measure.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orchestration.domain.extract.facts import extract_facts  # noqa: E402
from orchestration.domain.extract.models import Document, EntityResult  # noqa: E402
from orchestration.domain.ingest.dumps import ParsedRecord, parse_dump  # noqa: E402
from orchestration.domain.resolve.events import canonical_events, resolve_events  # noqa: E402
from orchestration.domain.warehouse.quality import load_scorer  # noqa: E402

DEFAULT_DUMP = ROOT / "raw" / "000_d41fcb9709c6051a.txt"
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "seed_gold.json"


def read_documents(path: Path) -> list[Document]:
    """The documents of a dump, parsed by the domain's dump parser (rejected records left out)."""
    return [Document(r.document_id, r.title, r.body, r.published_date)
            for r in parse_dump(path) if isinstance(r, ParsedRecord)]


def entities_for(doc: Document) -> EntityResult:
    try:
        from orchestration.domain.extract.mentions.entities import extract_entities
    except ImportError:
        return EntityResult()
    try:
        return extract_entities(doc)
    except Exception as exc:  # the entity extractor is developed in parallel; measure without it
        print(f"warning: extract_entities failed on {doc.document_id}: {exc!r}", file=sys.stderr)
        return EntityResult()


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    sc = load_scorer()
    gold = json.loads(args.gold.read_text())
    title_to_gid = {d["title"].strip(): d["doc"] for d in gold["documents"]}
    docs = read_documents(args.dump)
    ours = {}  # our doc id -> gold doc id
    results = {}
    for doc in docs:
        ents = entities_for(doc)
        results[doc.document_id] = (doc, ents, extract_facts(doc, ents))
        if doc.title.strip() in title_to_gid:
            ours[doc.document_id] = title_to_gid[doc.title.strip()]
    have_entities = any(r[1].spans for r in results.values())
    print(f"documents: {len(docs)} (gold matched {len(ours)}); entity spans available: {have_entities}")

    # ---- events: resolve across documents, then score like the scorer
    rows = []
    for did, (doc, _e, facts) in results.items():
        for ev in facts.events:
            rows.append(dict(document_id=did, local_id=ev.local_id, event_name=ev.name, event_type=ev.event_type,
                             start_date=ev.start_date, date_precision=ev.date_precision, city=ev.city,
                             country_code=ev.country_code, attendees=ev.attendees, published_date=doc.published_date,
                             participants=list(ev.participants)))
    ids = resolve_events(rows)
    canon = canonical_events(rows)
    used, tp, fp = set(), 0, []
    pred_gold = {}
    for eid, c in canon.items():
        docs_g = {ours[d] for d, _ in c["members"] if d in ours}
        match = None
        for g in gold["events"]:
            if not docs_g & set(g["mentioned_in"]):
                continue
            if not sc.date_fits(c["start_date"], g["date"], g["date_precision"]):
                continue
            gt = sc.name_tokens(g["name"])
            if gt and len(gt & sc.name_tokens(c["event_name"] or "")) / len(gt) >= 0.5 and \
                    (g["id"] not in used or g["optional"]):
                match = g
                if not g["optional"]:
                    break
        if match is not None and match["optional"]:
            pred_gold[eid] = match["id"]
            continue
        if match is not None:
            used.add(match["id"])
            pred_gold[eid] = match["id"]
            tp += 1
        else:
            fp.append((sorted(docs_g), c["event_name"], c["start_date"], c["date_precision"]))
    required = [g for g in gold["events"] if not g["optional"]]
    n_pred = tp + len(fp)
    pairs = {(g["id"], d) for g in required for d in g["mentioned_in"]}
    hit = {(pred_gold[eid], ours.get(d)) for eid, c in canon.items() if eid in pred_gold
           for d, _ in c["members"]} & pairs
    report = {"event": prf(tp, n_pred, len(required))}
    misses = {"event": [g["id"] for g in required if g["id"] not in used]}
    fps = {"event": fp}
    extra = {"event": f"mention_recall={len(hit) / len(pairs):.3f}" if pairs else ""}

    # ---- pledges
    used, tp, fp, status_ok = set(), 0, [], 0
    n_pred = 0
    for did, (_doc, _e, facts) in results.items():
        gdoc = ours.get(did)
        if gdoc is None:
            continue
        for p in facts.pledges:
            n_pred += 1
            match = None
            for g in gold["pledges"]:
                if g["id"] in used or g["doc"] != gdoc:
                    continue
                figures = [(g["amount"], g["currency"])] + [(a["amount"], a["currency"]) for a in g["alt_amounts"]]
                if any(c == p.currency and abs(p.amount - a) <= 0.02 * a for a, c in figures):
                    match = g
                    break
            if match:
                used.add(match["id"])
                tp += 1
                status_ok += p.status == match["status"]
            else:
                fp.append((gdoc, p.amount, p.currency, p.status, p.evidence[:80]))
    report["pledge"] = prf(tp, n_pred, len(gold["pledges"]))
    misses["pledge"] = [g["id"] for g in gold["pledges"] if g["id"] not in used]
    fps["pledge"] = fp
    extra["pledge"] = f"status_accuracy={status_ok / tp:.3f}" if tp else ""

    # ---- agreements (parties mapped to gold ids through the gold aliases)
    org_alias = {}
    for o in gold["organizations"]:
        for n in [o["name"]] + o["aliases"]:
            org_alias[sc.org_key(n)] = o["id"]
    used, tp, fp, type_ok, n_pred = set(), 0, [], 0, 0
    for did, (_doc, ents, facts) in results.items():
        gdoc = ours.get(did)
        if gdoc is None:
            continue
        org_names = {o.organization_id: [o.name, o.acronym or ""] + list(o.aliases) for o in ents.organizations}
        for a in facts.agreements:
            n_pred += 1
            parties = set()
            for ptype, pid in a.parties:
                if ptype == "country":
                    parties.add(pid.upper())
                else:
                    for n in org_names.get(pid, []) + [pid]:
                        if n and sc.org_key(n) in org_alias:
                            parties.add(org_alias[sc.org_key(n)])
                            break
            match = next((g for g in gold["agreements"] if g["id"] not in used and g["doc"] == gdoc
                          and set(g["parties"]) & parties), None)
            if match:
                used.add(match["id"])
                tp += 1
                type_ok += a.agreement_type == match["type"]
            else:
                fp.append((gdoc, a.agreement_type, sorted(a.parties)))
    report["agreement"] = prf(tp, n_pred, len(gold["agreements"]))
    misses["agreement"] = [g["id"] for g in gold["agreements"] if g["id"] not in used]
    fps["agreement"] = fp
    extra["agreement"] = f"type_accuracy={type_ok / tp:.3f}" if tp else ""

    print(f"{'kind':<11}{'P':>7}{'R':>7}{'F1':>7}")
    for kind, (p, r, f) in report.items():
        print(f"{kind:<11}{p:>7}{r:>7}{f:>7}   {extra[kind]}")
    for kind in report:
        print(f"\n[{kind}] missed: {misses[kind]}")
        for x in fps[kind]:
            print(f"[{kind}] false positive: {x}")
    if args.verbose:
        for did, (doc, _e, facts) in results.items():
            print(f"\n== {did} {doc.title}")
            for ev in facts.events:
                print(f"  E {ev.local_id} {ev.name!r} {ev.event_type} {ev.start_date} {ev.date_precision} "
                      f"{ev.city} {ev.country_code} att={ev.attendees} primary={ev.is_primary} -> "
                      f"{ids[(did, ev.local_id)]}\n      participants={ev.participants}")
            for p in facts.pledges:
                print(f"  P {p.local_id} {p.amount:,.0f} {p.currency} alt={p.alt_amount} {p.alt_currency} "
                      f"{p.status} approx={p.is_approximate} target={p.target_country_code} "
                      f"purpose={p.purpose!r} date={p.pledge_date} parties={p.parties}")
            for a in facts.agreements:
                print(f"  A {a.local_id} {a.agreement_type} {a.signed_date} binding={a.is_binding} "
                      f"subject={a.subject!r} parties={a.parties}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
