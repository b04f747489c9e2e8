"""Event resolution redone for the periods new documents touch, equal to `events.resolve_all` from scratch.

Mentions are clustered most precise first, and `_dates_ok` must hold against every member, so a day
mention only ever meets mentions of its day, a month mention the clusters of its month, a year mention
those of its year (`events._date_slots`), an undated mention any cluster. So each phase can be redone for
one period alone, from the clusters the finer phases left there: new documents redo the days of their day
mentions, then the months of those days and of their month mentions (where the month has a month
mention), then the years likewise (where the year has a year mention), then the undated mentions.

Within a redone phase most mentions cannot change: a mention's choice depends only on the clusters filed
under the blocks it looks up, so while none of those differs from the stored run, the mention keeps its
stored head without a search (`_replay`). Only the mentions that meet a changed cluster are searched
again, and each one that moves changes the clusters it left and joined for the mentions after it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.domain.resolve.events import (
    _CUT,
    Resolved,
    _date_slots,
    _event_id,
    _filings,
    _iso,
    _lookups,
    _Pool,
    _routes,
    _routes_of,
    _Row,
    event_items,
    no_gc,
    order_key,
)

RESOLVER_VERSION = "2"  # bump when the clustering changes: stored heads are then re-resolved from scratch

Key = tuple[str, str]


@dataclass
class Redo:
    """The periods a refresh re-resolves: days (their day mentions), months (their month mentions), years
    (their year mentions), and whether the undated mentions are re-resolved."""

    days: set[str] = field(default_factory=set)
    months: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    undated: bool = False


def redo_for(new_dated: list[tuple[Any, str | None]], new_undated: bool, years_with_year: set[str],
             months_with_month: set[str], archive_has_undated: bool) -> Redo:
    """What new mentions make stale: `new_dated` are their (start_date, precision) pairs; `years_with_year` /
    `months_with_month` the years (months) of the archive, new mentions included, with a year- (month-)
    precision mention; a coarser phase with no mention in the period is empty and needs no redo."""
    redo = Redo()
    for start, precision in new_dated:
        when = _iso(start)
        if not when or precision not in _CUT:
            continue
        if precision == "day":
            redo.days.add(when[:10])
        if precision in ("day", "month") and when[:7] in months_with_month:
            redo.months.add(when[:7])
        if when[:4] in years_with_year:
            redo.years.add(when[:4])
    touched = bool(redo.days or redo.months or redo.years)
    redo.undated = new_undated or (archive_has_undated and touched)
    return redo


def _replay(items: list[_Row], members: list[_Row], head_of: dict[Key, Key], slot: tuple | None,
            stored: dict[Key, Key], by_key: dict[Key, _Row]) -> dict[Key, Key]:
    """The head of each of `items` when they are clustered (greedily, in `order_key` order) onto the clusters
    `members` (the finer phases' mentions of the period, filed in `slot`) form under `head_of`: what
    `events._greedy` would give, comparing a mention with the stored run's choice (`stored`: the heads of
    the mentions that run had) and the changed clusters only.

    A cluster is dirty once its members differ from the stored run's: a member or an item moved in or out,
    or a new mention joined. The others are the same in both runs, in the same place (clusters are ordered
    by their head), and score the same against the mention. So when the stored choice is not dirty (or was
    a new cluster), it still beats every clean cluster, and only the dirty ones it meets can take the
    mention from it. Clusters no item can meet (none of their members is filed under a block an item looks
    up) are not even built."""
    if not items:
        return {}
    looks = {it.key: _lookups(it) for it in items}
    wanted = {b for look in looks.values() for b in look}
    routes = _routes(wanted)
    bare = {route for route, _ in routes}  # every lookup of a phase is in the one slot its items look up
    pool = _Pool()
    at: dict[Key, int] = {}  # head -> its cluster in the pool
    dirty: set[Key] = set()
    groups: dict[Key, list[_Row]] = {}
    filings: dict[Key, list[tuple]] = {}  # a member's blocks in `slot` that some item looks up
    for m in members:
        head, was = head_of[m.key], stored.get(m.key)
        groups.setdefault(head, []).append(m)
        if was != head:
            dirty.update(h for h in (was, head) if h is not None)
        if not _routes_of(m).isdisjoint(bare) and (mine := _filings(m, wanted, routes, (slot,))):
            filings[m.key] = mine
    for head in sorted({head_of[k] for k in filings}, key=lambda h: order_key(by_key[h])):
        cluster = groups[head]
        at[head] = ci = pool.open(sorted(cluster, key=lambda m: m.key != head))  # head first
        for m in cluster:
            pool.file(ci, filings.get(m.key, []))
    dirty_at = {at[h] for h in dirty if h in at}
    heads: dict[Key, Key] = {}
    for it in sorted(items, key=order_key):
        look, was = looks[it.key], stored.get(it.key)
        if was is not None and was not in dirty and (was == it.key or was in at):
            ci = pool.best(it, look, among=dirty_at, also=None if was == it.key else at[was])
        else:
            ci = pool.best(it, look)
        if ci is None:
            ci = at[it.key] = pool.open([it])
        else:
            pool.add(ci, it)
        pool.file(ci, _filings(it, wanted, routes, _date_slots(it)[1]))  # in the slot this phase looks up
        head = heads[it.key] = pool.clusters[ci][0].key
        if head != was:
            dirty.update(h for h in (was, head) if h is not None)
            dirty_at.update(at[h] for h in (was, head) if h in at)
    return heads


def resolve_periods(dated_rows: list[Any], dated_heads: list[Key | None], undated_rows: list[Any],
                    redo: Redo, acronyms: dict[str, set[str]],
                    undated_heads: list[Key | None] | None = None) -> list[Resolved]:
    """The mentions `redo` re-resolves whose cluster differs from the stored one (or that are new), with the
    event id and head `resolve_all` over the archive gives them; every other mention keeps its row.

    dated_rows: the dated mentions of every redone period, whatever their precision (of the whole archive
    when the undated mentions are redone), with their stored heads (None: a new mention); undated_rows:
    every undated mention of the archive when `redo.undated`, with theirs (default: none stored, so all
    are searched again); `acronyms`: the archive's."""
    with no_gc():
        return _resolve_periods(dated_rows, dated_heads, undated_rows, redo, acronyms, undated_heads)


def _resolve_periods(dated_rows: list[Any], dated_heads: list[Key | None], undated_rows: list[Any], redo: Redo,
                     acronyms: dict[str, set[str]], undated_heads: list[Key | None] | None) -> list[Resolved]:
    items = event_items(dated_rows, acronyms)
    by_key = {it.key: it for it in items}
    stored = {it.key: tuple(h) for it, h in zip(items, dated_heads, strict=True) if h is not None}
    head_of: dict[Key, Key] = dict(stored)
    redone: list[Key] = []

    def phase(todo: list[_Row], members: list[_Row], slot: tuple | None) -> None:
        head_of.update(_replay(todo, members, head_of, slot, stored, by_key))
        redone.extend(it.key for it in todo)

    # days never meet each other: one pass over all the redone days is the same
    phase([it for it in items if it.precision == "day" and it.date[:10] in redo.days], [], None)
    by_month: dict[str, list[_Row]] = {}
    by_year: dict[str, list[_Row]] = {}
    for it in items:
        by_month.setdefault(it.date[:7], []).append(it)
        by_year.setdefault(it.date[:4], []).append(it)
    for month in sorted(redo.months):
        inside = by_month.get(month, [])
        phase([it for it in inside if it.precision == "month"], [it for it in inside if it.precision == "day"],
              ("M", month))
    for year in sorted(redo.years):
        inside = by_year.get(year, [])
        phase([it for it in inside if it.precision == "year"], [it for it in inside if it.precision != "year"],
              ("Y", year))
    if redo.undated and undated_rows:
        undated = event_items(undated_rows, acronyms)
        by_key.update((it.key, it) for it in undated)
        stored.update((it.key, tuple(h)) for it, h in zip(undated, undated_heads or [None] * len(undated),
                                                           strict=True) if h is not None)
        phase(undated, items, ("all",))
    out: list[Resolved] = []
    for key in redone:
        h = head_of[key]
        if h != stored.get(key):
            out.append((key[0], key[1], _event_id(by_key[h]), h[0], h[1]))
    return out
