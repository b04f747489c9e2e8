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
name tokens, date (at its precision) and type family. Re-resolving only what new documents change, with
the same result: `resolve.event_periods`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from orchestration.domain.extract.facts.events.names import (
    acronym_words,
    distinctive_tokens,
    find_acronyms,
    name_tokens,
    ordinal_of,
)
from orchestration.domain.extract.facts.events.vocabulary import MEETING_FAMILY
from orchestration.domain.extract.mentions.countries import countries_in_name
from orchestration.domain.resolve.collector import no_gc

_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_CUT = {"day": 10, "month": 7, "year": 4}


def _get(row: Any, key: str) -> Any:
    if isinstance(row, dict):
        return row.get(key)
    return getattr(row, key, None)


def _family(t: str | None) -> str:
    t = t or "other"
    return "meeting" if t in MEETING_FAMILY else t


@dataclass(slots=True)
class _Row:
    key: tuple[str, str]
    name: str
    family: str
    date: str | None  # ISO text
    precision: str
    tokens: frozenset[str]
    countries: frozenset[str]
    ordinal: int | None
    published: str
    country_code: str | None
    persons: frozenset[str] = frozenset()
    routes: frozenset[tuple] | None = field(default=None, repr=False, compare=False)  # `_routes_of`, once asked


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


def _dates_agree(d1: str | None, p1: str, d2: str | None, p2: str) -> bool:
    if not d1 or not d2 or p1 == "unknown" or p2 == "unknown":
        return True
    cut = _CUT[p1 if _RANK[p1] <= _RANK[p2] else p2]
    return d1[:cut] == d2[:cut]


def _dates_ok(a: _Row, b: _Row) -> bool:
    return _dates_agree(a.date, a.precision, b.date, b.precision)


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
    return _score(a, b) if _compatible(a, b) else 0.0


def _score(a: _Row, b: _Row) -> float:
    """`_similar` for a pair known to be `_compatible`."""
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


def _qualifiers(r: _Row, *, filing: bool) -> tuple[tuple, tuple]:
    """(country sets, country codes) a block carries outside day slots. Two different country codes always
    conflict, and where the looking mention cannot be linked (`_linked` needs both on one day: it can only
    in a day slot), neither can two different non-empty country sets. So there a token block also carries
    the country set, and every block the country code (None: the mention has none; "*": any), and a mention
    only meets members whose set and code are its own or none: the clusters it skips are those
    `_compatible` would reject."""
    if filing:
        return (r.countries or None, "*"), (r.country_code or None, "*")
    return ((r.countries, None) if r.countries else ("*",)), ((r.country_code, None) if r.country_code else ("*",))


def _in_slot(keys: Iterable[tuple], r: _Row, slot: tuple, *, filing: bool) -> list[tuple]:
    """The blocks of `keys` (routes) in one slot (`_qualifiers`)."""
    if slot[0] == "D":
        return [(k, slot) for k in keys]
    sets, codes = _qualifiers(r, filing=filing)
    out: list[tuple] = []
    for k in keys:
        if k[0] == "t":
            out += [((*k, s, c), slot) for s in sets for c in codes]
        else:
            out += [((*k, c), slot) for c in codes]
    return out


def _routes_of(r: _Row) -> frozenset[tuple]:
    """The routes a member is filed under outside day slots, kept with it.

    The routes to a score (`_similar`): a shared distinctive token; the same people on the very same day
    (`_linked`: in day slots only); the same non-empty country set when one of the two names has no
    distinctive token ("c0" files the token-less names, "c1" the others; two "c1" names score only
    through their tokens). Each route is crossed with the date slots, so mentions whose dates disagree
    never meet."""
    if r.routes is None:
        routes = {("t", r.family, t) for t in r.tokens}
        if r.countries:
            routes.add(("c1" if r.tokens else "c0", r.family, r.countries))
        r.routes = frozenset(routes)
    return r.routes


def _filed_in(r: _Row, slot: tuple, bases: set[tuple] | None = None) -> list[tuple]:
    """The blocks a member is filed under in one of its filing slots (`_date_slots`): a mention can score
    above zero against a member only when one of its lookups (`_lookups`) is one of these. `bases`: when
    set, only the routes (route, slot) it holds are built."""
    keys: Iterable[tuple] = _routes_of(r)
    if slot[0] == "D":
        keys = [*keys, *(("p", r.family, p) for p in r.persons)]
    if bases is not None:
        keys = [k for k in keys if (k, slot) in bases]
    return _in_slot(keys, r, slot, filing=True)


def _lookups(r: _Row) -> list[tuple]:
    """The blocks a mention looks up (in its one lookup slot, `_date_slots`)."""
    f, slot = r.family, _date_slots(r)[1][0]
    keys = [("t", f, t) for t in r.tokens]
    if slot[0] == "D":
        keys += [("p", f, p) for p in r.persons]
    if r.countries:
        keys.append(("c0", f, r.countries))
        if not r.tokens:
            keys.append(("c1", f, r.countries))
    return _in_slot(keys, r, slot, filing=False)


def _routes(wanted: Iterable[tuple]) -> set[tuple]:
    """The (route, slot) pairs of the blocks `wanted`, route being the block's key without its qualifiers."""
    return {(k[:3], slot) for k, slot in wanted}


def _filings(r: _Row, wanted: Container[tuple], routes: set[tuple],
             slots: Iterable[tuple] | None = None) -> list[tuple]:
    """The member's blocks some mention looks up (`wanted`, whose routes are `routes`), in its filing slots
    (or `slots`): only those are indexed, and the others (the years without year mentions, the tokens no
    undated mention names, ...) are not even built."""
    return [b for s in slots or _date_slots(r)[0] for b in _filed_in(r, s, routes) if b in wanted]


def _signature(r: _Row) -> tuple:
    """Everything `_compatible` and `_similar` read from a member."""
    return (r.family, r.date, r.precision, r.tokens, r.countries, r.ordinal, r.country_code, r.persons)


def acronyms_of(names: list[str]) -> dict[str, set[str]]:
    """The acronyms the event names define, whatever order the names come in (the first definition in
    sorted name order wins), so a refresh and a rebuild read the same names alike."""
    return _acronyms(sorted(set(names)))


def event_items(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[_Row]:
    """The mentions as the clustering reads them; `acronyms` defaults to those the rows' names define."""
    acr = acronyms if acronyms is not None else acronyms_of([str(_get(r, "event_name") or "") for r in rows])
    words = acronym_words(acr)
    items = []
    by_name: dict[str, tuple[frozenset[str], frozenset[str], int | None]] = {}  # many mentions share a name
    for r in rows:
        get = r.get if isinstance(r, dict) else lambda k, r=r: getattr(r, k, None)
        name = str(get("event_name") or "")
        when = _iso(get("start_date"))
        precision = get("date_precision") or "unknown"
        if precision not in _RANK or not when:
            precision = "unknown"  # a precision without a date says nothing: undated
        feats = by_name.get(name)
        if feats is None:
            feats = by_name[name] = (frozenset(distinctive_tokens(name, acr, words)), countries_in_name(name),
                                     ordinal_of(name))
        items.append(_Row(
            key=(str(get("document_id")), str(get("local_id"))), name=name,
            family=_family(get("event_type")), date=when, precision=precision,
            tokens=feats[0], countries=feats[1], ordinal=feats[2],
            published=_iso(get("published_date")) or "", country_code=get("country_code"),
            persons=_persons(get("participants")),
        ))
    return items


def order_key(it: _Row) -> tuple:
    """The order mentions are clustered in (most precise date, richest name first); a cluster's place is its
    first member's, so clusters built apart can be put back in the order one pass would have made them."""
    return (-_RANK[it.precision], -len(it.tokens), -len(it.name), it.published, it.key)


def _with(values: tuple, value: Any) -> tuple:
    return values if value in values else (*values, value)


class _Cluster:
    """A cluster being built: its members (head first) and what `_choose` reads of them; `rank` orders
    clusters as one pass creates them.

    A cluster is compared through one representative per distinct signature of its members (members with
    equal signatures give equal answers; a story syndicated in many releases would otherwise be re-checked
    member by member), and only once what its members say that `_compatible` reads (families, country
    codes, ordinals, country sets, dates: small tuples, most clusters being one mention) shows none
    contradicts the mention."""

    __slots__ = ("members", "reps", "docs", "rank", "families", "codes", "ordinals", "countries", "dates")

    def __init__(self, members: Iterable[_Row], rank: Any) -> None:
        self.members: list[_Row] = []
        self.reps: dict[tuple, _Row] = {}
        self.docs: set[str] = set()
        self.rank = rank
        self.families: tuple[str, ...] = ()
        self.codes: tuple[str, ...] = ()
        self.ordinals: tuple[int, ...] = ()
        self.countries: tuple[frozenset[str], ...] = ()
        self.dates: tuple[tuple[str, str], ...] = ()
        for m in members:
            self.add(m)

    def add(self, m: _Row) -> None:
        self.members.append(m)
        self.docs.add(m.key[0])
        sig = _signature(m)
        if sig in self.reps:
            return
        self.reps[sig] = m
        self.families = _with(self.families, m.family)
        if m.country_code:
            self.codes = _with(self.codes, m.country_code)
        if m.ordinal:
            self.ordinals = _with(self.ordinals, m.ordinal)
        if m.countries:
            self.countries = _with(self.countries, m.countries)
        if m.date and m.precision != "unknown":
            self.dates = _with(self.dates, (m.date, m.precision))

    def fits(self, it: _Row) -> bool:
        """`_compatible(m, it)` for every member m."""
        if len(self.families) != 1 or it.family != self.families[0]:
            return False
        if it.country_code and any(c != it.country_code for c in self.codes):
            return False
        if it.ordinal and any(o != it.ordinal for o in self.ordinals):
            return False
        if it.date and it.precision != "unknown" and \
                not all(_dates_agree(d, p, it.date, it.precision) for d, p in self.dates):
            return False
        if it.countries and any(c != it.countries for c in self.countries):
            return not any(_countries_conflict(m, it) for m in self.reps.values())
        return True


def _choose(it: _Row, candidates: Iterable[_Cluster]) -> _Cluster | None:
    """The cluster `it` joins among `candidates` (in creation order): the best-scoring one it is compatible
    with, earliest on ties; None: none."""
    best, best_score, top = None, 0.0, _top_score(it)
    for c in candidates:
        if it.key[0] in c.docs or not c.fits(it):
            continue
        score = max(_score(m, it) for m in c.reps.values())
        if score > best_score:
            best, best_score = c, score
            if score >= top:
                break  # nothing later can score higher, and the earliest cluster wins ties
    return best


def _greedy(items: list[_Row]) -> list[list[_Row]]:
    """Each mention (in `order_key` order) joins the best-scoring cluster it is compatible with, earliest
    cluster on ties, else starts one.

    Only clusters filed under one of the mention's lookup blocks can score above zero, so only those are
    examined (in creation order): the same result as examining every cluster, in near-linear time."""
    clusters: list[_Cluster] = []
    order = sorted(items, key=order_key)
    # every block some mention looks up (none: no cluster filed there yet); only those are filed under, and
    # the lookups are made again below (kept, they would weigh more than the index)
    index: dict[tuple, list[int] | None] = dict.fromkeys(b for it in order for b in _lookups(it))
    routes = _routes(index.keys())
    for it in order:
        candidates: set[int] = set()
        for block in _lookups(it):
            candidates.update(index[block] or ())
        c = _choose(it, (clusters[ci] for ci in sorted(candidates)))
        if c is None:
            c = _Cluster([it], len(clusters))
            clusters.append(c)
        else:
            c.add(it)
        for block in _filings(it, index.keys(), routes):
            bucket = index[block]
            if bucket is None:
                index[block] = [c.rank]
            elif bucket[-1] != c.rank:
                bucket.append(c.rank)
    return [c.members for c in clusters]


def cluster_events(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[list[_Row]]:
    """Every mention of `rows`, clustered in one pass (a cluster's first member is its head)."""
    with no_gc():
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


Resolved = tuple[str, str, str, str, str]  # document_id, local_id, event_id, head document_id, head local_id


def _emit(clusters: list[list[_Row]]) -> list[Resolved]:
    out: list[Resolved] = []
    for c in clusters:
        eid, head = _event_id(c[0]), c[0].key
        out += [(m.key[0], m.key[1], eid, head[0], head[1]) for m in c]
    return out


def resolve_all(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[Resolved]:
    """Every mention's event id and its cluster's head (first member), from scratch (incrementally:
    `resolve.event_periods`)."""
    return _emit(cluster_events(rows, acronyms))
