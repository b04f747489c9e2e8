"""One real event = one id across documents.

    resolve_events(rows) -> {(document_id, local_id): event_id}

rows: dicts or objects with document_id, local_id, event_name, event_type, start_date, date_precision,
city, country_code, published_date (extract.events rows), and optionally participants: (type, id) pairs
(extract.event_participants).

Two mentions are the same event when their types are of one family (meeting / ministerial / bilateral /
dialogue are one family), their dates agree at the coarser precision (an unknown date agrees with
anything), the countries written in their names are the same set when both name countries ("Korea-U.S."
= "U.S.-Korea"; "Korea-U.S.-Japan trilateral" = "Japan-Republic of Korea-United States"), their
ordinals do not conflict, and their distinctive name tokens overlap — or, whatever the wording, they
share the same people on the same day (two principals for a meeting, one for a roundtable or forum),
as when a ministry's article and a readout report one meeting (acronyms defined in any name,
e.g. "Supply Chain and Commercial Dialogue (SCCD)", are folded into the acronym). Mentions from one
document are never merged here (extraction already merged them).

Clustering is greedy over a deterministic order (most precise date, richest name first), so the
result does not depend on the order of `rows`. The event_id is a hash of the canonical member's
name tokens, date (at its precision) and type family.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from orchestration.domain.extract.facts.events.names import (
    distinctive_tokens,
    find_acronyms,
    name_tokens,
    ordinal_of,
)
from orchestration.domain.extract.facts.events.vocabulary import MEETING_FAMILY
from orchestration.domain.extract.mentions.countries import countries_in_name

_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_CUT = {"day": 10, "month": 7, "year": 4}


def _get(row: Any, key: str) -> Any:
    if isinstance(row, dict):
        return row.get(key)
    return getattr(row, key, None)


def _family(t: str | None) -> str:
    t = t or "other"
    return "meeting" if t in MEETING_FAMILY else t


@dataclass
class _Row:
    key: tuple[str, str]
    name: str
    family: str
    date: str | None  # ISO text
    precision: str
    tokens: set[str]
    countries: frozenset[str]
    ordinal: int | None
    published: str
    country_code: str | None
    persons: frozenset[str] = frozenset()


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    s = str(value)[:10]
    return s or None


def _acronyms(names: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n in names:
        for k, v in find_acronyms(n).items():
            out.setdefault(k, v)
    return out


def _dates_ok(a: _Row, b: _Row) -> bool:
    if not a.date or not b.date or a.precision == "unknown" or b.precision == "unknown":
        return True
    p = min(a.precision, b.precision, key=lambda x: _RANK[x])
    return a.date[:_CUT[p]] == b.date[:_CUT[p]]


def _linked(a: _Row, b: _Row) -> bool:
    """The same people at an event of one kind: two shared principals, or one on the very same day.
    (A MOTIE article and a Commerce readout of one meeting share both ministers and the date.)"""
    shared = len(a.persons & b.persons)
    if a.family != b.family or not shared:
        return False
    same_day = a.precision == "day" and b.precision == "day" and a.date == b.date
    return same_day and (shared >= 2 or a.family != "meeting")


def _countries_conflict(a: _Row, b: _Row) -> bool:
    if not (a.countries and b.countries) or a.countries == b.countries:
        return False
    # when the same people link them, a name that mentions one country only in passing
    # ("Roundtable with Korea's Minister X") does not contradict a "Korea-U.S." name
    return not (_linked(a, b) and min(len(a.countries), len(b.countries)) < 2)


def _compatible(a: _Row, b: _Row) -> bool:
    """Hard constraints: nothing the two mentions say contradicts each other."""
    return (a.family == b.family and _dates_ok(a, b)
            and not _countries_conflict(a, b)
            and not (a.ordinal and b.ordinal and a.ordinal != b.ordinal)
            and not (a.country_code and b.country_code and a.country_code != b.country_code))


def _top_score(it: _Row) -> float:
    """The highest `_similar(member, it)` can be for any member: once a cluster reaches it, no later
    cluster can beat it (the earliest wins ties), so the search stops there."""
    if it.tokens:
        return 1.0  # full token overlap
    if it.precision == "day" and it.persons:
        return 0.9  # the same people on the same day
    return 0.5 if it.date and it.precision != "unknown" else 0.4  # token-less: same countries


def _similar(a: _Row, b: _Row) -> float:
    if not _compatible(a, b):
        return 0.0
    if _linked(a, b):
        return 0.9
    if a.tokens and b.tokens:
        overlap = len(a.tokens & b.tokens) / min(len(a.tokens), len(b.tokens))
        return overlap if overlap >= 0.5 else 0.0
    if not (a.countries and a.countries == b.countries):
        return 0.0
    if not a.tokens and not b.tokens and a.date and b.date and a.precision != "unknown" and \
            b.precision != "unknown":
        return 0.5  # "Korea-Japan summit" (May 2024) in two releases
    if not a.tokens or not b.tokens:
        return 0.4  # same countries and type, one name generic ("trilateral ministers' meeting")
    return 0.0


def _persons(participants: Any) -> frozenset[str]:
    """Person ids among a row's participants: (type, id) pairs or {"participant_type", "participant_id"}."""
    out = set()
    for p in participants or []:
        if isinstance(p, dict):
            kind, pid = p.get("participant_type") or p.get("type"), p.get("participant_id") or p.get("id")
        else:
            kind, pid = p[0], p[1]
        if kind == "person" and pid:
            out.add(str(pid))
    return frozenset(out)


def _event_id(canon: _Row) -> str:
    d = canon.date[:_CUT[canon.precision]] if canon.date and canon.precision in _CUT else "unknown"
    basis = " ".join(sorted(name_tokens(canon.name))) + "|" + d + "|" + canon.family
    return "ev_" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def _date_slots(r: _Row) -> tuple[list[tuple], list[tuple]]:
    """(slots a member is filed under, slots to look up for a new mention) such that a member and a
    mention whose dates agree (`_dates_ok`) meet in one slot whenever the member came first.

    Mentions are clustered day-precision first, then month, year, undated (`cluster_events`), so a
    mention only ever meets members at least as precise: a day looks up its day; a month, the days and
    months of that month; a year, everything dated in that year; an undated mention, everything."""
    if not r.date or r.precision == "unknown":
        return [("all",)], [("all",)]
    y, m = r.date[:4], r.date[:7]
    if r.precision == "year":
        return [("all",), ("Y", y)], [("Y", y)]
    if r.precision == "month":
        return [("all",), ("Y", y), ("M", m)], [("M", m)]
    return [("all",), ("Y", y), ("M", m), ("D", r.date[:10])], [("D", r.date[:10])]


_UNDATED_SLOTS = {("all",)}  # the slot where one side of the pair has no date


def _token_keys(f: str, t: str, countries: frozenset[str], slot: tuple, *, filing: bool) -> list[tuple]:
    """Token blocks. Where one side is undated, `_linked` cannot hold, so two different non-empty country
    sets always conflict: there the block also carries the country set (None: the name has none; "*": any),
    and a mention naming countries only meets members naming the same ones or none."""
    if slot not in _UNDATED_SLOTS:
        return [("t", f, t)]
    if filing:
        return [("t", f, t, countries or None), ("t", f, t, "*")]
    return [("t", f, t, countries), ("t", f, t, None)] if countries else [("t", f, t, "*")]


def _blocks(r: _Row) -> tuple[list[tuple], list[tuple]]:
    """(blocks a member is filed under, blocks to look up for a new mention): a mention can score above
    zero against a member (`_similar`) only when one of its lookups is one of the member's blocks.

    The routes to a score: a shared distinctive token; the same people on the very same day (`_linked`);
    the same non-empty country set when one of the two names has no distinctive token ("c0" files the
    token-less names, "c1" the others; two "c1" names score only through their tokens). Each route is
    crossed with the date slots, so mentions whose dates disagree never meet."""
    f = r.family
    filed_slots, look_slots = _date_slots(r)
    filed: list[tuple] = []
    look: list[tuple] = []
    for t in r.tokens:
        for s in filed_slots:
            filed += [(k, s) for k in _token_keys(f, t, r.countries, s, filing=True)]
        for s in look_slots:
            look += [(k, s) for k in _token_keys(f, t, r.countries, s, filing=False)]
    if r.precision == "day" and r.date:
        day = ("D", r.date[:10])
        for p in r.persons:
            filed.append((("p", f, p), day))
            look.append((("p", f, p), day))
    if r.countries:
        filed += [((("c1" if r.tokens else "c0"), f, r.countries), s) for s in filed_slots]
        look += [(("c0", f, r.countries), s) for s in look_slots]
        if not r.tokens:
            look += [(("c1", f, r.countries), s) for s in look_slots]
    return filed, look


def _filed_in(r: _Row, slot: tuple) -> list[tuple]:
    """The blocks of `_blocks(r)[0]` in one date slot other than a day's (person blocks sit in day slots only),
    for a member known to be filed under `slot`."""
    out = [(k, slot) for t in r.tokens for k in _token_keys(r.family, t, r.countries, slot, filing=True)]
    if r.countries:
        out.append(((("c1" if r.tokens else "c0"), r.family, r.countries), slot))
    return out


def _signature(r: _Row) -> tuple:
    """Everything `_compatible` and `_similar` read from a member."""
    return (r.family, r.date, r.precision, frozenset(r.tokens), r.countries, r.ordinal, r.country_code, r.persons)


def acronyms_of(names: list[str]) -> dict[str, set[str]]:
    """The acronyms the event names define, whatever order the names come in (the first definition in
    sorted name order wins), so a refresh and a rebuild read the same names alike."""
    return _acronyms(sorted(set(names)))


def event_items(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[_Row]:
    """The mentions as the clustering reads them; `acronyms` defaults to those the rows' names define."""
    acr = acronyms if acronyms is not None else acronyms_of([str(_get(r, "event_name") or "") for r in rows])
    items = []
    by_name: dict[str, tuple[set[str], frozenset[str], int | None]] = {}  # many mentions share a name
    for r in rows:
        name = str(_get(r, "event_name") or "")
        when = _iso(_get(r, "start_date"))
        precision = _get(r, "date_precision") or "unknown"
        if precision not in _RANK or not when:
            precision = "unknown"  # a precision without a date says nothing: undated
        feats = by_name.get(name)
        if feats is None:
            feats = by_name[name] = (distinctive_tokens(name, acr), countries_in_name(name), ordinal_of(name))
        items.append(_Row(
            key=(str(_get(r, "document_id")), str(_get(r, "local_id"))), name=name,
            family=_family(_get(r, "event_type")), date=when, precision=precision,
            tokens=feats[0], countries=feats[1], ordinal=feats[2],
            published=_iso(_get(r, "published_date")) or "", country_code=_get(r, "country_code"),
            persons=_persons(_get(r, "participants")),
        ))
    return items


def order_key(it: _Row) -> tuple:
    """The order mentions are clustered in (most precise date, richest name first); a cluster's place is its
    first member's, so clusters built apart can be put back in the order one pass would have made them."""
    return (-_RANK[it.precision], -len(it.tokens), -len(it.name), it.published, it.key)


def _greedy(items: list[_Row], seeds: list[list[_Row]] | None = None,
            slots: set[tuple] | None = None) -> list[list[_Row]]:
    """Each mention (in `order_key` order) joins the best-scoring cluster it is compatible with, earliest
    cluster on ties, else starts one. `seeds`: clusters made before (in creation order) that the mentions may
    join; `slots`: when set, only blocks of those date slots are indexed (the only ones the mentions look up)."""
    # Only clusters filed under one of the mention's lookup blocks can score above zero, so only
    # those are examined (in creation order): the same result as examining every cluster, in near-linear time.
    # A cluster is compared through one representative per distinct signature of its members: members
    # with equal signatures give equal `_compatible`/`_similar` answers, and a story syndicated in many
    # releases would otherwise be re-checked member by member (quadratic in its size).
    clusters: list[list[_Row]] = []
    cluster_reps: list[dict[tuple, _Row]] = []
    cluster_docs: list[set[str]] = []
    index: dict[tuple, list[int]] = {}

    def file(ci: int, blocks: list[tuple]) -> None:
        for block in blocks:
            if slots is not None and block[1] not in slots:
                continue
            bucket = index.setdefault(block, [])
            if not bucket or bucket[-1] != ci:
                bucket.append(ci)

    wanted: set[tuple] = set()  # the blocks the mentions look up: the only ones a seed needs filing under
    for it in items if seeds else ():
        wanted.update(_blocks(it)[1])
    for seed in seeds or []:
        ci = len(clusters)
        clusters.append(list(seed))
        cluster_reps.append({})
        cluster_docs.append(set())
        for m in seed:
            cluster_reps[ci].setdefault(_signature(m), m)
            cluster_docs[ci].add(m.key[0])
            filed_in = [b for slot in slots or () for b in _filed_in(m, slot)] if slots else _blocks(m)[0]
            file(ci, [b for b in filed_in if b in wanted])
    for it in sorted(items, key=order_key):
        filed, look = _blocks(it)
        candidates: set[int] = set()
        for block in look:
            candidates.update(index.get(block, ()))
        best, best_score, top = None, 0.0, _top_score(it)
        for ci in sorted(candidates):
            if it.key[0] in cluster_docs[ci]:
                continue
            reps = cluster_reps[ci].values()
            if not all(_compatible(m, it) for m in reps):
                continue
            score = max(_similar(m, it) for m in reps)
            if score > best_score:
                best, best_score = ci, score
                if score >= top:
                    break  # nothing later can score higher, and the earliest cluster wins ties
        if best is None:
            best = len(clusters)
            clusters.append([it])
            cluster_reps.append({_signature(it): it})
            cluster_docs.append({it.key[0]})
        else:
            clusters[best].append(it)
            cluster_reps[best].setdefault(_signature(it), it)
            cluster_docs[best].add(it.key[0])
        file(best, filed)
    return clusters


def cluster_events(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[list[_Row]]:
    """Every mention of `rows`, clustered in one pass (a cluster's first member is its head)."""
    return _greedy(event_items(rows, acronyms))


def resolve_events(rows: list[Any]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for c in cluster_events(rows):
        eid = _event_id(c[0])
        for m in c:
            out[m.key] = eid
    return out


def canonical_events(rows: list[Any]) -> dict[str, dict]:
    """event_id -> the canonical attributes of the cluster: name of the richest member, the most
    precise date, the first known city/country, the largest attendee count."""
    by_key = {(str(_get(r, "document_id")), str(_get(r, "local_id"))): r for r in rows}
    out: dict[str, dict] = {}
    for c in cluster_events(rows):
        eid = _event_id(c[0])
        members = [by_key[m.key] for m in c]
        named = max(c, key=lambda m: (len(name_tokens(m.name)), len(m.name), m.key))
        dated = c[0]
        city = next((_get(r, "city") for r in members if _get(r, "city")), None)
        country = next((_get(r, "country_code") for r in members if _get(r, "country_code")), None)
        attendees = max((_get(r, "attendees") for r in members if _get(r, "attendees")), default=None)
        out[eid] = dict(event_name=named.name, event_type=_get(by_key[named.key], "event_type"),
                        start_date=dated.date if dated.precision != "unknown" else None,
                        date_precision=dated.precision, city=city, country_code=country, attendees=attendees,
                        members=[m.key for m in c])
    return out


# --------------------------------------------------------------------------- incremental, by period
#
# Mentions are clustered most precise first, and `_dates_ok` must hold against every member, so a day
# mention only ever meets mentions of its day, a month mention the clusters of its month, a year mention
# those of its year (`_date_slots`), an undated mention any cluster. So each phase can be redone for one
# period alone, from the clusters the finer phases left there: new documents redo the days of their day
# mentions, then the months of those days and of their month mentions (where the month has a month
# mention), then the years likewise (where the year has a year mention), then every undated mention.

RESOLVER_VERSION = "2"  # bump when the clustering changes: stored heads are then re-resolved from scratch

Resolved = tuple[str, str, str, str, str]  # document_id, local_id, event_id, head document_id, head local_id


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


def _emit(clusters: list[list[_Row]], keep: set[tuple[str, str]] | None = None) -> list[Resolved]:
    out: list[Resolved] = []
    for c in clusters:
        eid, head = _event_id(c[0]), c[0].key
        out += [(m.key[0], m.key[1], eid, head[0], head[1]) for m in c if keep is None or m.key in keep]
    return out


def resolve_all(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[Resolved]:
    """Every mention's event id and its cluster's head (first member), from scratch."""
    return _emit(cluster_events(rows, acronyms))


def _seeds(members: list[_Row], head_of: dict[tuple[str, str], tuple[str, str]],
           by_key: dict[tuple[str, str], _Row]) -> list[list[_Row]]:
    """The clusters `members` form under `head_of`, head first, in the order one pass creates them."""
    groups: dict[tuple[str, str], list[_Row]] = {}
    for m in members:
        groups.setdefault(head_of[m.key], []).append(m)
    seeds = [[by_key[h], *(m for m in ms if m.key != h)] for h, ms in groups.items()]
    seeds.sort(key=lambda c: order_key(c[0]))
    return seeds


def _phase(items: list[_Row], seeds: list[list[_Row]], slot: tuple,
           head_of: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Cluster `items` onto `seeds` (only `slot` is looked up) and record their heads in `head_of`."""
    keys = {it.key for it in items}
    for c in _greedy(items, seeds=seeds, slots={slot}):
        for m in c:
            if m.key in keys:
                head_of[m.key] = c[0].key


def resolve_periods(dated_rows: list[Any], dated_heads: list[tuple[str, str] | None], undated_rows: list[Any],
                    redo: Redo, acronyms: dict[str, set[str]]) -> list[Resolved]:
    """Re-resolve the mentions `redo` names; the result equals `resolve_all` over the archive for them (the
    others keep theirs).

    dated_rows: the dated mentions of every redone period, whatever their precision (of the whole archive
    when the undated mentions are redone), with their stored heads (None: a new mention); undated_rows:
    every undated mention of the archive when `redo.undated`; `acronyms`: the archive's."""
    items = event_items(dated_rows, acronyms)
    by_key = {it.key: it for it in items}
    head_of = {it.key: tuple(h) for it, h in zip(items, dated_heads, strict=True) if h is not None}
    redone: set[tuple[str, str]] = set()
    days = [it for it in items if it.precision == "day" and it.date[:10] in redo.days]
    for c in _greedy(days):  # days never meet each other: one pass over all the redone days is the same
        for m in c:
            head_of[m.key] = c[0].key
    redone |= {it.key for it in days}
    by_month: dict[str, list[_Row]] = {}
    by_year: dict[str, list[_Row]] = {}
    for it in items:
        by_month.setdefault(it.date[:7], []).append(it)
        by_year.setdefault(it.date[:4], []).append(it)
    for month in sorted(redo.months):
        inside = by_month.get(month, [])
        todo = [it for it in inside if it.precision == "month"]
        _phase(todo, _seeds([it for it in inside if it.precision == "day"], head_of, by_key), ("M", month), head_of)
        redone |= {it.key for it in todo}
    for year in sorted(redo.years):
        inside = by_year.get(year, [])
        todo = [it for it in inside if it.precision == "year"]
        _phase(todo, _seeds([it for it in inside if it.precision != "year"], head_of, by_key), ("Y", year), head_of)
        redone |= {it.key for it in todo}
    out: list[Resolved] = []
    for key in sorted(redone):
        h = head_of[key]
        out.append((key[0], key[1], _event_id(by_key[h]), h[0], h[1]))
    if redo.undated and undated_rows:
        undated = event_items(undated_rows, acronyms)
        keys = {it.key for it in undated}
        out += _emit(_greedy(undated, seeds=_seeds(items, head_of, by_key), slots=set(_UNDATED_SLOTS)), keep=keys)
    return out
