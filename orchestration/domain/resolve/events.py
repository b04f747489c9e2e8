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
from dataclasses import dataclass
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

    for seed in seeds or []:
        ci = len(clusters)
        clusters.append(list(seed))
        cluster_reps.append({})
        cluster_docs.append(set())
        for m in seed:
            cluster_reps[ci].setdefault(_signature(m), m)
            cluster_docs[ci].add(m.key[0])
            file(ci, _blocks(m)[0])
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
# mention only ever meets mentions of its day, a month mention those of its month, a year mention those
# of its year (`_date_slots`). A dated mention's cluster is therefore fixed by the dated mentions of its
# period: its year when the year has a year-precision mention, else its month when the month has a
# month-precision one, else its day. New documents re-resolve only those periods; undated mentions,
# which may join any cluster, are re-resolved against the clusters of the whole archive.

RESOLVER_VERSION = "2"  # bump when the clustering changes: stored heads are then re-resolved from scratch


def period_of(start_date: Any, precision: str | None, years_with_year: set[str],
              months_with_month: set[str]) -> tuple[str, str] | None:
    """The period a dated mention is re-resolved with: ("Y", "2024"), ("M", "2024-05") or ("D", "2024-05-03");
    None for an undated one. `years_with_year` / `months_with_month`: the years (months) of the archive
    that have a year- (month-) precision mention."""
    when = _iso(start_date)
    if not when or precision not in _CUT:
        return None
    if precision == "year" or when[:4] in years_with_year:
        return ("Y", when[:4])
    if precision == "month" or when[:7] in months_with_month:
        return ("M", when[:7])
    return ("D", when[:10])


def period_bounds(period: tuple[str, str]) -> tuple[date, date]:
    """[first day, day after the last) of a period."""
    kind, value = period
    if kind == "Y":
        y = int(value)
        return date(y, 1, 1), date(y + 1, 1, 1)
    if kind == "M":
        y, m = int(value[:4]), int(value[5:7])
        return date(y, m, 1), (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1))
    d = date.fromisoformat(value)
    return d, date.fromordinal(d.toordinal() + 1)


Resolved = tuple[str, str, str, str, str]  # document_id, local_id, event_id, head document_id, head local_id


def _emit(clusters: list[list[_Row]], keep: set[tuple[str, str]] | None = None) -> list[Resolved]:
    out: list[Resolved] = []
    for c in clusters:
        eid, head = _event_id(c[0]), c[0].key
        out += [(m.key[0], m.key[1], eid, head[0], head[1]) for m in c if keep is None or m.key in keep]
    return out


def resolve_all(rows: list[Any], acronyms: dict[str, set[str]] | None = None) -> list[Resolved]:
    """Every mention's event id and its cluster's head (first member), from scratch."""
    return _emit(cluster_events(rows, acronyms))


def resolve_periods(period_rows: list[Any], undated_rows: list[Any], other_rows: list[Any],
                    other_heads: list[tuple[str, str]], acronyms: dict[str, set[str]]) -> list[Resolved]:
    """Re-resolve the dated mentions of whole periods and every undated mention; the result equals
    `resolve_all` over the archive for those mentions (the others keep theirs).

    period_rows: every dated mention of the periods to re-resolve (`period_of`); undated_rows: every undated
    mention of the archive; other_rows: the other dated mentions, with their stored cluster heads (needed
    only when there are undated mentions, which may join their clusters); `acronyms`: the archive's."""
    period_clusters = _greedy(event_items(period_rows, acronyms))
    if any(m.precision == "unknown" for c in period_clusters for m in c):
        raise ValueError("an undated mention among the period rows")
    out = _emit(period_clusters)
    if not undated_rows:
        return out
    groups: dict[tuple[str, str], list[_Row]] = {}
    for it, head in zip(event_items(other_rows, acronyms), other_heads, strict=True):
        groups.setdefault(tuple(head), []).append(it)
    dated = list(period_clusters)
    for head, members in groups.items():
        members.sort(key=lambda m: m.key != head)  # the head first
        dated.append(members)
    dated.sort(key=lambda c: order_key(c[0]))  # the order one pass creates them in
    undated = event_items(undated_rows, acronyms)
    keys = {it.key for it in undated}
    return out + _emit(_greedy(undated, seeds=dated, slots=_UNDATED_SLOTS), keep=keys)
