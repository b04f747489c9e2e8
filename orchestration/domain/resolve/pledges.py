"""One real pledge = one id across the documents that report it.

    resolve_pledges(rows) -> {(document_id, local_id): pledge_id}

rows: dicts or objects with document_id, local_id, amount, currency, usd_amount_stated, alt_amount,
alt_currency, status, target_country_code, purpose, pledge_date, published_date (extract.pledges joined
to its document), and optionally parties: (party_type, party_id, role) triples (extract.pledge_parties).

Two reports (in different documents) are the same pledge when they state the same money — one of their
figures (amount in currency, the alternative amount, the stated USD amount) is equal to three significant
figures, in the same currency —, have the same status (pledged / realized), do not name different
target countries, do not name disjoint sets of pledgers (either naming none is no conflict), and their
dates (the pledge's, else the document's) are at most `reports.WINDOW_DAYS` apart. A re-sent release,
or a ministry's and a company's release about one investment, becomes one pledge; the same company
pledging the same sum a year later is another. Clustering and ids: `reports.cluster`.
"""
from __future__ import annotations

import math
from typing import Any

from orchestration.domain.resolve.reports import Report, Rules, as_date, assign, cluster, get, within_window


def _figure(currency: Any, amount: Any) -> tuple[str, str] | None:
    """(currency, amount to three significant figures), or None when either is missing or not a number."""
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return None
    if not currency or not math.isfinite(value) or value <= 0:
        return None
    return str(currency).strip().upper(), f"{value:.3g}"


def _report(row: Any) -> Report:
    figures = {f for f in (_figure(get(row, "currency"), get(row, "amount")),
                           _figure(get(row, "alt_currency"), get(row, "alt_amount")),
                           _figure("USD", get(row, "usd_amount_stated"))) if f}
    pledgers = frozenset((str(p[0]), str(p[1])) for p in get(row, "parties") or []
                         if len(p) >= 3 and p[2] == "pledger" and p[1])
    target = get(row, "target_country_code") or None
    published = as_date(get(row, "published_date"))
    given = (target, get(row, "purpose"), get(row, "pledge_date"))
    return Report(
        document_id=str(get(row, "document_id")), local_id=str(get(row, "local_id")), published=published,
        day=as_date(get(row, "pledge_date")) or published,
        completeness=sum(v is not None for v in given) + len(pledgers),
        features=dict(figures=frozenset(figures), status=str(get(row, "status") or "pledged").lower(),
                      target=str(target).upper() if target else None, pledgers=pledgers),
    )


def _compatible(a: Report, b: Report) -> bool:
    fa, fb = a.features, b.features
    return (bool(fa["figures"] & fb["figures"]) and fa["status"] == fb["status"]
            and not (fa["target"] and fb["target"] and fa["target"] != fb["target"])
            and not (fa["pledgers"] and fb["pledgers"] and not fa["pledgers"] & fb["pledgers"])
            and within_window(a, b))


def _keys(r: Report) -> tuple[list, list]:
    """(filed, looked up): a figure with each pledger, and with "*" (any); a report naming no pledger is
    filed under None and looks up "*" (it fits every pledger), one naming pledgers looks up theirs and None."""
    status, figures, pledgers = r.features["status"], sorted(r.features["figures"]), sorted(r.features["pledgers"])
    filed = [(status, f, p) for f in figures for p in [*pledgers, "*"]] if pledgers else \
        [(status, f, p) for f in figures for p in (None, "*")]
    looked = [(status, f, p) for f in figures for p in [*pledgers, None]] if pledgers else \
        [(status, f, "*") for f in figures]
    return filed, looked


PLEDGES = Rules(_report, _compatible, _keys)


def cluster_pledges(rows: list[Any]) -> list[list[Report]]:
    return cluster([_report(r) for r in rows], _compatible, _keys)


def resolve_pledges(rows: list[Any]) -> dict[tuple[str, str], str]:
    return assign(cluster_pledges(rows))
