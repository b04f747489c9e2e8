"""Event resolution redone for the periods new documents touch, equal to `events.resolve_all` from scratch.

Mentions are clustered most precise first, and `_dates_ok` must hold against every member, so a day
mention only ever meets mentions of its day, a month mention the clusters of its month, a year mention
those of its year (`events._date_slots`), an undated mention any cluster. So each phase can be redone for
one period alone, from the clusters the finer phases left there: new documents redo the days of their day
mentions, then the months of those days and of their month mentions (where the month has a month
mention), then the years likewise (where the year has a year mention), then the undated mentions.

Within a redone phase most mentions cannot change (`_replay`): a cluster is dirty once its members differ
from the stored run's, and a mention whose stored cluster is clean keeps it unless a dirty cluster it
meets takes it, so most keep their stored head unsearched; only new mentions and those whose stored
cluster is dirty are compared with every cluster they can meet, and each mention that moves makes the
clusters it left and joined dirty for the mentions after it. Clusters, and the blocking index, are built
only where a search needs them, and only the mentions whose head changed are returned (and rewritten).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.domain.resolve.collector import no_gc
from orchestration.domain.resolve.events import (
    _CUT,
    Resolved,
    _choose,
    _Cluster,
    _date_slots,
    _event_id,
    _filed_in,
    _in_slot,
    _iso,
    _lookups,
    _routes_of,
    _Row,
    event_items,
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


class _Phase:
    """One phase's clusters in the making (`_replay`), each built only once a search needs it: the members
    of each cluster so far, the blocks of the dirty ones, and a blocking index built route by route for the
    mentions that search every cluster they can meet."""

    def __init__(self, members: list[_Row], head_of: dict[Key, Key], slot: tuple | None,
                 by_key: dict[Key, _Row]) -> None:
        self.slot, self.by_key = slot, by_key
        self.head: dict[Key, Key] = {}  # mention -> its cluster's head
        self.groups: dict[Key, list[_Row]] = {}  # head -> the members so far
        for m in members:
            h = self.head[m.key] = head_of[m.key]
            self.groups.setdefault(h, []).append(m)
        self.built: dict[Key, _Cluster] = {}
        self.dirty: set[Key] = set()
        self.dirty_index: dict[tuple, set[Key]] = {}  # block -> the dirty clusters filed under it
        self.by_route: dict[tuple, list[_Row]] | None = None  # (route, slot) -> members, once a search needs it
        self.index: dict[tuple, set[Key]] = {}  # block -> clusters, for the routes in `indexed`
        self.indexed: set[tuple] = set()

    def _slot(self, m: _Row) -> tuple:
        """Where `m` is filed for this phase: `slot` (a finer phase's member) or the one it looks up."""
        return self.slot or _date_slots(m)[1][0]

    def _routes(self, m: _Row) -> list[tuple]:
        slot = self._slot(m)
        people = [("p", m.family, p) for p in m.persons] if slot[0] == "D" else []
        return [(r, slot) for r in (*_routes_of(m), *people)]

    def _cluster(self, head: Key) -> _Cluster:
        c = self.built.get(head)
        if c is None:
            c = self.built[head] = _Cluster(self.groups[head], order_key(self.by_key[head]))
        return c

    def spoil(self, head: Key | None) -> None:
        """`head`'s cluster differs from the stored run's (from now on, whatever joins it)."""
        if head is None or head in self.dirty:
            return
        self.dirty.add(head)
        for m in self.groups.get(head, ()):
            for b in _filed_in(m, self._slot(m)):
                self.dirty_index.setdefault(b, set()).add(head)

    def rivals(self, look: list[tuple]) -> set[Key]:
        """The dirty clusters filed under the blocks `look`."""
        return {h for b in look for h in self.dirty_index.get(b, ())}

    def candidates(self, look: list[tuple]) -> set[Key]:
        """Every cluster filed under the blocks `look`."""
        if self.by_route is None:
            self.by_route = {}
            for ms in self.groups.values():
                for m in ms:
                    for r in self._routes(m):
                        self.by_route.setdefault(r, []).append(m)
        out: set[Key] = set()
        for b in look:
            route = (b[0][:3], b[1])
            if route not in self.indexed:
                self.indexed.add(route)
                for m in self.by_route.get(route, ()):
                    for filed in _in_slot([route[0]], m, route[1], filing=True):
                        self.index.setdefault(filed, set()).add(self.head[m.key])
            out |= self.index.get(b, set())
        return out

    def choose(self, it: _Row, heads: set[Key]) -> Key:
        """The head of the cluster `it` joins among `heads` (its own key: a new cluster)."""
        clusters = sorted(((self._cluster(h), h) for h in heads), key=lambda ch: ch[0].rank)
        chosen = _choose(it, (c for c, _ in clusters))
        return next(h for c, h in clusters if c is chosen) if chosen is not None else it.key

    def add(self, head: Key, it: _Row) -> None:
        self.head[it.key] = head
        self.groups.setdefault(head, []).append(it)
        if head in self.built:
            self.built[head].add(it)
        if self.by_route is not None:
            for r in self._routes(it):
                self.by_route.setdefault(r, []).append(it)
                if r in self.indexed:
                    for filed in _in_slot([r[0]], it, r[1], filing=True):
                        self.index.setdefault(filed, set()).add(head)
        if head in self.dirty:
            for b in _filed_in(it, self._slot(it)):
                self.dirty_index.setdefault(b, set()).add(head)


def _replay(items: list[_Row], members: list[_Row], head_of: dict[Key, Key], slot: tuple | None,
            stored: dict[Key, Key], by_key: dict[Key, _Row]) -> dict[Key, Key]:
    """The head of each of `items` when they are clustered (greedily, in `order_key` order) onto the clusters
    `members` (the finer phases' mentions of the period, filed in `slot`) form under `head_of`: what
    `events._greedy` would give, comparing a mention with the stored run's choice (`stored`: the heads of
    the mentions that run had) and the changed clusters only.

    A cluster is dirty once its members differ from the stored run's: a member or an item moved in or out,
    or a new mention joined. The others are the same in both runs, in the same place (clusters are ordered
    by their head), and score the same against the mention. So when the stored choice is not dirty (or was
    a new cluster), it still beats every clean cluster, and only the dirty ones the mention meets can take
    it from there; most mentions meet none and keep their head unread. A new mention, or one whose stored
    cluster is dirty, is compared with every cluster it can meet."""
    phase = _Phase(members, head_of, slot, by_key)
    for m in members:
        was, head = stored.get(m.key), head_of[m.key]
        if was != head:
            phase.spoil(was)
            phase.spoil(head)
    heads: dict[Key, Key] = {}
    for it in sorted(items, key=order_key):
        look, was = _lookups(it), stored.get(it.key)
        if was is not None and was not in phase.dirty and (was == it.key or was in phase.groups):
            rivals = phase.rivals(look)
            head = phase.choose(it, rivals | ({was} - {it.key})) if rivals else was
        else:
            head = phase.choose(it, phase.candidates(look))
        phase.add(head, it)
        heads[it.key] = head
        if head != was:
            phase.spoil(was)
            phase.spoil(head)
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
