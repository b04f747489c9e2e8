"""One real fact, many reports: the greedy clustering pledges and agreements share.

A report is one document's account of a fact (extract.pledges / extract.agreements row). Reports are
taken in a fixed order — earliest published first, then the more complete, then document id and local
id — so the outcome never depends on the order rows come in. Each report joins the earliest cluster
whose every member it is compatible with (complete linkage: no chain of near-matches merges two
different facts) and that has no report from the same document (one document reporting two such facts
means two facts; extraction already merged repeats within a document). The first member of a cluster
— the earliest, most complete report — is its primary report, and the fact's id is that report's
`document_id|local_id`: a fact reported once keeps the key it had before resolution, and a later re-send
of the same release (published later) never changes it.

Only clusters filed under one of a report's blocks are examined; the blocks of a kind must be such that
two compatible reports always share one (here: a figure or party pair, crossed with a span of time around the
fact's date, see `date_slots`).

So the result decomposes. Call a report *linked* to an earlier one when it looks up a block the earlier one
is filed under and is compatible with it, and a *component* a set of reports closed under links (either
way). A report joins only a cluster holding a report it is linked to (it fits every member, and one of them
made it examine the cluster), so every cluster lies within one component; a cluster it examines outside its
component holds a report it does not fit, so it is refused whether it exists or not. Clustering a component
alone therefore gives its clusters and ids exactly as clustering everything does: the same reports, in the
same relative order, accept the same clusters. `cluster_components` also returns the components;
extract/fact_store.py stores them with each report's blocks and re-resolves only the components that new or
re-extracted documents touch.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

WINDOW_DAYS = 31  # two reports more than this apart in time are two facts
# Bump when reports are compared, blocked or ordered differently (here, in pledges.py or agreements.py):
# the stored components and blocks (extract/fact_store.py) are then re-resolved from scratch.
RESOLVER_VERSION = "1"


def get(row: Any, key: str) -> Any:
    """A field of a dict row or an attribute of a tuple/object row."""
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


def as_date(value: Any) -> date | None:
    """A date from a date, datetime or ISO text (anything else: None; bad input is not fatal)."""
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@dataclass
class Report:
    """One document's report of a fact, with what clustering compares."""

    document_id: str
    local_id: str
    published: date | None
    day: date | None  # the fact's own date, else the document's
    completeness: int  # how many optional attributes the report gives (richer reports rank first)
    features: dict[str, Any] = field(default_factory=dict)

    @property
    def fact_id(self) -> str:
        return f"{self.document_id}|{self.local_id}"

    def order(self) -> tuple:
        return (self.published or date.max, -self.completeness, self.document_id, self.local_id)


def within_window(a: Report, b: Report) -> bool:
    """Dates at most WINDOW_DAYS apart (an unknown date agrees with anything)."""
    return a.day is None or b.day is None or abs((a.day - b.day).days) <= WINDOW_DAYS


def date_slots(day: date | None) -> tuple[list[Hashable], list[Hashable]]:
    """(slots a report is filed under, slots to look up) such that two reports within WINDOW_DAYS of each
    other, or one of them undated, always meet in one slot: time is cut into spans of WINDOW_DAYS + 1 days,
    a dated report looks up its span, the two next to it and the undated; an undated one, everything."""
    if day is None:
        return ["undated"], ["undated", "dated"]
    span = day.toordinal() // (WINDOW_DAYS + 1)
    return [span, "dated"], [span - 1, span, span + 1, "undated"]


Blocks = tuple[list[Hashable], list[Hashable]]


@dataclass(frozen=True)
class Rules:
    """What makes reports of one kind one fact: how a row becomes a report, which reports fit, and the
    keys (filed, looked up) that `blocks_of` crosses with the date slots."""

    report: Callable[[Any], Report]
    compatible: Callable[[Report, Report], bool]
    keys: Callable[[Report], Blocks]


def block_parts(rep: Report, keys: Callable[[Report], Blocks]) -> tuple[Blocks, Blocks]:
    """((keys `rep` is filed under, its filed date slots), (keys it looks up, the slots it looks up)): its
    blocks are each pair's cross product (`blocks_of`; the store hashes keys and slots apart)."""
    filed_slots, look_slots = date_slots(rep.day)
    own, lookups = keys(rep)
    return (own, filed_slots), (lookups, look_slots)


def blocks_of(rep: Report, keys: Callable[[Report], Blocks]) -> tuple[set[tuple], set[tuple]]:
    """(blocks `rep` is filed under, blocks it looks up): its keys crossed with its date slots."""
    (own, filed_slots), (lookups, look_slots) = block_parts(rep, keys)
    return {(k, s) for k in own for s in filed_slots}, {(k, s) for k in lookups for s in look_slots}


def cluster_components(reports: Iterable[Report], compatible: Callable[[Report, Report], bool],
                       keys: Callable[[Report], Blocks]) -> tuple[list[list[Report]], list[int]]:
    """Greedy complete-linkage clustering (see the module docstring), and for each cluster the index of the
    first cluster of its component (see the module docstring)."""
    clusters: list[list[Report]] = []
    docs: list[set[str]] = []
    parent: list[int] = []  # union-find over cluster indices; a root is its component's first cluster
    taken: list[Report] = []  # the reports so far, in order
    cluster_of: list[int] = []  # of each of them
    index: dict[tuple, list[int]] = {}  # block -> positions in `taken` of the reports filed under it

    def root(ci: int) -> int:
        while parent[ci] != ci:
            parent[ci] = parent[parent[ci]]
            ci = parent[ci]
        return ci

    for rep in sorted(reports, key=Report.order):
        filed, looked = blocks_of(rep, keys)
        met = {pos for block in looked for pos in index.get(block, ())}
        candidates = sorted({cluster_of[pos] for pos in met})
        best = next((ci for ci in candidates if rep.document_id not in docs[ci]
                     and all(compatible(m, rep) for m in clusters[ci])), None)
        if best is None:
            best = len(clusters)
            clusters.append([])
            docs.append(set())
            parent.append(best)
        clusters[best].append(rep)
        docs[best].add(rep.document_id)
        top = root(best)
        for pos in sorted(met):  # the earlier reports `rep` is linked to: one component with it
            other = root(cluster_of[pos])
            if other != top and compatible(taken[pos], rep):
                low, high = min(top, other), max(top, other)
                parent[high] = top = low
        for block in filed:
            index.setdefault(block, []).append(len(taken))
        taken.append(rep)
        cluster_of.append(best)
    return clusters, [root(ci) for ci in range(len(clusters))]


def cluster(reports: Iterable[Report], compatible: Callable[[Report, Report], bool],
            keys: Callable[[Report], Blocks]) -> list[list[Report]]:
    """Greedy complete-linkage clustering (see the module docstring); `keys(r)` are (the blocks r is filed
    under, the blocks it looks up) before crossing with the date slots."""
    return cluster_components(reports, compatible, keys)[0]


def assign(clusters: list[list[Report]]) -> dict[tuple[str, str], str]:
    """(document_id, local_id) -> the fact id of its cluster (its primary report's id)."""
    return {(m.document_id, m.local_id): c[0].fact_id for c in clusters for m in c}
