"""One real agreement = one id across the documents that report it.

    resolve_agreements(rows) -> {(document_id, local_id): agreement_id}

rows: dicts or objects with document_id, local_id, agreement_type, signed_date, published_date
(extract.agreements joined to its document), and parties: (party_type, party_id) pairs
(extract.agreement_parties).

Two reports (in different documents) are the same agreement when they are of the same type, name the
same parties — the same set, or at least two parties in common (one report may name a third signatory
the other leaves out; one shared party is not enough: Commerce signs memoranda of terms with many
companies) —, do not give different signing dates, and their dates (the signing date, else the
document's) are at most `reports.WINDOW_DAYS` apart. A report naming no party is never merged.
Clustering and ids: `reports.cluster`.
"""
from __future__ import annotations

from itertools import combinations
from typing import Any

from orchestration.domain.resolve.reports import Report, Rules, as_date, assign, cluster, get, within_window


def _report(row: Any) -> Report:
    parties = frozenset((str(p[0]), str(p[1])) for p in get(row, "parties") or [] if len(p) >= 2 and p[1])
    signed = as_date(get(row, "signed_date"))
    published = as_date(get(row, "published_date"))
    return Report(
        document_id=str(get(row, "document_id")), local_id=str(get(row, "local_id")), published=published,
        day=signed or published, completeness=(signed is not None) + (get(row, "subject") is not None) + len(parties),
        features=dict(type=str(get(row, "agreement_type") or "other").lower(), parties=parties, signed=signed),
    )


def _compatible(a: Report, b: Report) -> bool:
    fa, fb = a.features, b.features
    shared = len(fa["parties"] & fb["parties"])
    return (fa["type"] == fb["type"] and bool(fa["parties"])
            and (fa["parties"] == fb["parties"] or shared >= 2)
            and not (fa["signed"] and fb["signed"] and fa["signed"] != fb["signed"])
            and within_window(a, b))


def _keys(r: Report) -> tuple[list, list]:
    """A single party (a one-party report matches only the same single party) or every pair of parties."""
    parties = sorted(r.features["parties"])
    if len(parties) == 1:
        keys = [(r.features["type"], tuple(parties))]
    else:
        keys = [(r.features["type"], pair) for pair in combinations(parties, 2)]
    return keys, keys


AGREEMENTS = Rules(_report, _compatible, _keys)


def cluster_agreements(rows: list[Any]) -> list[list[Report]]:
    return cluster([_report(r) for r in rows], _compatible, _keys)


def resolve_agreements(rows: list[Any]) -> dict[tuple[str, str], str]:
    return assign(cluster_agreements(rows))
